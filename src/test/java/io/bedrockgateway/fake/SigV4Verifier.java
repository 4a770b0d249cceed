package io.bedrockgateway.fake;

import io.bedrockgateway.fake.RecordedRequest.AuthType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Verifies AWS Signature Version 4 the way an AWS front end does, rebuilt from the request as it arrived (never via
 * the SDK's signer, which would share a client's mistakes): canonical URI = the raw path with every segment encoded
 * once more, canonical query sorted and RFC 3986 encoded, canonical headers from {@code SignedHeaders}, payload
 * hash of the bytes received.
 *
 * <p>Stateless apart from its service name; thread-safe.
 */
final class SigV4Verifier {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** A secret registered for an access key id, with the session token that must accompany it (or null). */
    record Credential(String secret, String sessionToken) {
    }

    private final String service;

    SigV4Verifier(String service) {
        this.service = service;
    }

    /**
     * Verifies the SigV4 {@code Authorization} header of {@code request}.
     *
     * @param credentials    looks a credential up by access key id; returns {@code null} for unknown ids
     * @param expectedRegion the only region accepted in the credential scope, or {@code null} for any
     * @param now            the server's current time, for the five-minute skew check
     */
    AuthResult verify(RawRequest request, Function<String, Credential> credentials, String expectedRegion,
                      Instant now) {
        List<String> authorizations = request.headerValues("Authorization");
        if (authorizations.isEmpty()) {
            return AuthResult.fail(AuthType.NONE, null, null, null,
                    new AwsError(403, "MissingAuthenticationTokenException", "Missing Authentication Token"));
        }
        String authorization = authorizations.get(0);
        if (authorizations.size() > 1 || !authorization.startsWith(ALGORITHM + " ")) {
            return incomplete(null, null, null, "Authorization header must be one '" + ALGORITHM
                    + " Credential=..., SignedHeaders=..., Signature=...' header. Authorization=" + authorization);
        }
        Map<String, String> params = parseParams(authorization.substring(ALGORITHM.length() + 1));
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (!params.containsKey(required)) {
                return incomplete(null, null, null, "Authorization header requires '" + required
                        + "' parameter. Authorization=" + authorization);
            }
        }
        String[] scope = params.get("Credential").split("/", -1);
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            return incomplete(null, null, null, "Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/term, got '" + params.get("Credential") + "'");
        }
        String keyId = scope[0];
        String region = scope[2];
        String scopeService = scope[3];
        if (!service.equals(scopeService)) {
            return invalid(keyId, region, scopeService, "Credential should be scoped to correct service: '"
                    + service + "'. ");
        }
        if (expectedRegion != null && !expectedRegion.equals(region)) {
            return invalid(keyId, region, scopeService, "Credential should be scoped to a valid region. ");
        }
        Credential credential = credentials.apply(keyId);
        String token = request.header("X-Amz-Security-Token");
        if (credential == null || (credential.sessionToken() == null ? token != null
                : !credential.sessionToken().equals(token))) {
            return AuthResult.fail(AuthType.SIGV4, keyId, region, scopeService, new AwsError(403,
                    "UnrecognizedClientException", "The security token included in the request is invalid."));
        }
        return verifySignature(request, params, scope, credential, now);
    }

    private AuthResult verifySignature(RawRequest request, Map<String, String> params, String[] scope,
                                       Credential credential, Instant now) {
        String keyId = scope[0];
        String region = scope[2];
        String amzDate = request.header("X-Amz-Date");
        String dateHeaderName = "x-amz-date";
        if (amzDate == null && request.header("Date") != null) {
            dateHeaderName = "date";
            try {
                amzDate = AMZ_DATE.format(ZonedDateTime.parse(request.header("Date"),
                        DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException e) {
                amzDate = null;
            }
        }
        if (amzDate == null) {
            return incomplete(keyId, region, scope[3], "Authorization header requires existence of either a "
                    + "'X-Amz-Date' or a 'Date' header. Authorization=" + request.header("Authorization"));
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            return incomplete(keyId, region, scope[3], "X-Amz-Date must be in ISO-8601 basic format: " + amzDate);
        }
        if (!amzDate.startsWith(scope[1])) {
            return invalid(keyId, region, scope[3], "Date in Credential scope does not match YYYYMMDD from "
                    + "ISO-8601 version of date from HTTP: '" + scope[1] + "' != '" + amzDate.substring(0, 8)
                    + "', from '" + amzDate + "'.");
        }
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return invalid(keyId, region, scope[3], "Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return invalid(keyId, region, scope[3], "Signature not yet current: " + amzDate
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now)
                    + " + 5 min.)");
        }
        List<String> signedHeaders = List.of(params.get("SignedHeaders").split(";", -1));
        if (!signedHeaders.contains("host")) {
            return invalid(keyId, region, scope[3],
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (!signedHeaders.contains(dateHeaderName)) {
            return invalid(keyId, region, scope[3], "'" + dateHeaderName
                    + "' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String payloadHash = hex(sha256(request.body()));
        String declaredHash = request.header("X-Amz-Content-Sha256");
        if (declaredHash != null && !declaredHash.equals(payloadHash)) {
            return invalid(keyId, region, scope[3], "The provided 'x-amz-content-sha256' header does not match "
                    + "what was computed.");
        }
        String canonicalRequest = canonicalRequest(request, params.get("SignedHeaders"), payloadHash);
        String credentialScope = scope[1] + "/" + region + "/" + scope[3] + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = signingKey(credential.secret(), scope[1], region, scope[3]);
        String expected = hex(hmac(key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                params.get("Signature").getBytes(StandardCharsets.US_ASCII))) {
            return invalid(keyId, region, scope[3], "The request signature we calculated does not match the "
                    + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the "
                    + "service documentation for details.\n\nThe Canonical String for this request should have "
                    + "been\n'" + canonicalRequest + "'\n\nThe String-to-Sign should have been\n'" + stringToSign
                    + "'\n");
        }
        return new AuthResult(AuthType.SIGV4, true, keyId, region, scope[3], null);
    }

    /** The canonical request AWS would build from what arrived. */
    static String canonicalRequest(RawRequest request, String signedHeaders, String payloadHash) {
        StringBuilder canonical = new StringBuilder(512)
                .append(request.method()).append('\n')
                .append(SigV4Encoding.canonicalUri(request.rawPath())).append('\n')
                .append(SigV4Encoding.canonicalQuery(request.rawQuery())).append('\n');
        for (String name : signedHeaders.split(";", -1)) {
            canonical.append(name).append(':');
            List<String> values = request.headerValues(name);
            for (int i = 0; i < values.size(); i++) {
                canonical.append(i == 0 ? "" : ",").append(values.get(i).strip().replaceAll(" +", " "));
            }
            canonical.append('\n');
        }
        return canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash).toString();
    }

    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    private static Map<String, String> parseParams(String text) {
        Map<String, String> params = new HashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                params.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return params;
    }

    private static AuthResult incomplete(String keyId, String region, String scopeService, String message) {
        return AuthResult.fail(AuthType.SIGV4, keyId, region, scopeService,
                new AwsError(403, "IncompleteSignatureException", message));
    }

    private static AuthResult invalid(String keyId, String region, String scopeService, String message) {
        return AuthResult.fail(AuthType.SIGV4, keyId, region, scopeService,
                new AwsError(403, "InvalidSignatureException", message));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit(b >> 4 & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }
}

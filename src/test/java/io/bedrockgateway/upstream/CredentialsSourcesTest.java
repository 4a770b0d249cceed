package io.bedrockgateway.upstream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK-backed factory, against a fake STS on a loopback port: never AWS. */
class CredentialsSourcesTest {
    private static final Instant EXPIRY = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private final List<String> requestBodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer sts;

    @BeforeEach
    void startFakeSts() throws Exception {
        sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requestBodies.add(URLDecoder.decode(body, StandardCharsets.UTF_8));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "" : authorization);
            String action = body.contains("AssumeRoleWithWebIdentity") ? "AssumeRoleWithWebIdentity" : "AssumeRole";
            byte[] response = stsResponse(action).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, response.length);
            exchange.getResponseBody().write(response);
            exchange.close();
        });
        sts.start();
    }

    @AfterEach
    void stopFakeSts() {
        sts.stop(0);
    }

    @Test
    void staticKeysAreAFixedCompletedSource() {
        CredentialsSource source = CredentialsSources.sdk()
                .create(new CredentialsSpec.Static("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", null));
        CompletableFuture<AwsCredentialsIdentity> future = source.resolve();
        assertTrue(future.isDone());
        assertEquals("AKIAIOSFODNN7EXAMPLE", future.join().accessKeyId());
        assertEquals("static:AKIA...MPLE", source.describe());
        assertFalse(source.toString().contains("wJalr"));
    }

    @Test
    void staticKeysWithSessionToken() {
        AwsCredentialsIdentity identity = CredentialsSources.sdk()
                .create(new CredentialsSpec.Static("ASIAIOSFODNN7EXAMPLE", "secret", "token")).resolve().join();
        assertEquals("token", assertInstanceOf(AwsSessionCredentialsIdentity.class, identity).sessionToken());
    }

    @Test
    void creatingSourcesCallsNothing() {
        CredentialsFactory factory = CredentialsSources.sdk();
        assertEquals("default-chain", factory.create(new CredentialsSpec.DefaultChain()).describe());
        assertEquals("profile:dev", factory.create(new CredentialsSpec.Profile("dev")).describe());
        CredentialsSource role = factory.create(new CredentialsSpec.AssumeRole("arn:aws:iam::123456789012:role/r",
                "s", null, new CredentialsSpec.DefaultChain(), "us-west-2", stsEndpoint()));
        assertEquals("assume-role:arn:aws:iam::123456789012:role/r", role.describe());
        assertTrue(requestBodies.isEmpty());
    }

    @Test
    void assumeRoleSignsWithTheBaseKeysAndCachesTheSessionCredentials() throws Exception {
        CredentialsSource source = CredentialsSources.sdk().create(new CredentialsSpec.AssumeRole(
                "arn:aws:iam::123456789012:role/bedrock", "gw-session", "ext-123",
                new CredentialsSpec.Static("AKIDBASEKEY000000000", "basesecret", null), "us-west-2",
                stsEndpoint()));
        AwsCredentialsIdentity identity = source.resolve().get(10, TimeUnit.SECONDS);
        AwsSessionCredentialsIdentity session = assertInstanceOf(AwsSessionCredentialsIdentity.class, identity);
        assertEquals("ASIAFROMSTS", session.accessKeyId());
        assertEquals("session-token", session.sessionToken());
        assertEquals(EXPIRY, session.expirationTime().orElseThrow());
        String request = requestBodies.get(0);
        assertTrue(request.contains("Action=AssumeRole"), request);
        assertTrue(request.contains("RoleArn=arn:aws:iam::123456789012:role/bedrock"), request);
        assertTrue(request.contains("RoleSessionName=gw-session"), request);
        assertTrue(request.contains("ExternalId=ext-123"), request);
        assertTrue(authorizations.get(0).contains("Credential=AKIDBASEKEY000000000/"), authorizations.get(0));
        assertTrue(authorizations.get(0).contains("/us-west-2/sts/"), authorizations.get(0));

        assertTrue(source.resolve().isDone(), "cached");
        assertEquals(1, requestBodies.size());
        ((AutoCloseable) source).close();
    }

    @Test
    void webIdentityReadsTheTokenFileAndDoesNotSign(@TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "eyJhbGciOi.header.sig\n");
        CredentialsSource source = CredentialsSources.sdk().create(new CredentialsSpec.WebIdentity(
                "arn:aws:iam::123456789012:role/irsa", "gw", null, tokenFile, "eu-west-1", stsEndpoint()));
        assertEquals("ASIAFROMSTS", source.resolve().get(10, TimeUnit.SECONDS).accessKeyId());
        String request = requestBodies.get(0);
        assertTrue(request.contains("Action=AssumeRoleWithWebIdentity"), request);
        assertTrue(request.contains("WebIdentityToken=eyJhbGciOi.header.sig&")
                || request.endsWith("WebIdentityToken=eyJhbGciOi.header.sig"), request);
        assertEquals("", authorizations.get(0));
    }

    @Test
    void fixedSourceHandsOutIndependentFutures() {
        CredentialsSource source = CredentialsSources.fixed(AwsBasicCredentials.create("AKIDEXAMPLE", "s"), "x");
        source.resolve().cancel(true);
        assertEquals("AKIDEXAMPLE", source.resolve().join().accessKeyId());
    }

    @Test
    void maskKeyId() {
        assertEquals("AKIA...MPLE", CredentialsSources.maskKeyId("AKIAIOSFODNN7EXAMPLE"));
        assertEquals("****", CredentialsSources.maskKeyId("short"));
        assertEquals("****", CredentialsSources.maskKeyId(null));
    }

    private URI stsEndpoint() {
        return URI.create("http://127.0.0.1:" + sts.getAddress().getPort());
    }

    private static String stsResponse(String action) {
        return "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + action + "Result>"
                + "<Credentials><AccessKeyId>ASIAFROMSTS</AccessKeyId><SecretAccessKey>stssecret</SecretAccessKey>"
                + "<SessionToken>session-token</SessionToken><Expiration>" + EXPIRY + "</Expiration></Credentials>"
                + "</" + action + "Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></"
                + action + "Response>";
    }
}

package io.bedrockgateway.fake;

/**
 * What the fake concluded about a request's credentials. Immutable and thread-safe.
 *
 * @param type        how the request tried to authenticate
 * @param ok          whether it succeeded
 * @param accessKeyId access key id from the credential scope, or {@code null}
 * @param region      region from the credential scope, or {@code null}
 * @param service     service from the credential scope, or {@code null}
 * @param error       the error to answer with when {@code ok} is false
 */
record AuthResult(RecordedRequest.AuthType type, boolean ok, String accessKeyId, String region, String service,
                  AwsError error) {

    static AuthResult fail(RecordedRequest.AuthType type, String accessKeyId, String region, String service,
                           AwsError error) {
        return new AuthResult(type, false, accessKeyId, region, service, error);
    }
}

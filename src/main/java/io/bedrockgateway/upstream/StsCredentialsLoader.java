package io.bedrockgateway.upstream;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Loads temporary credentials from STS (AssumeRole, AssumeRoleWithWebIdentity). The STS client is built on the
 * first call, on a credentials thread, in the deployment's region (or against the configured STS endpoint).
 *
 * <p>Thread-safe; calls are serialised by the owning {@link CachingCredentialsSource} anyway.
 */
final class StsCredentialsLoader implements Callable<AwsCredentialsIdentity>, AutoCloseable {
    private final LazyValue<StsClient> sts;
    private final Callable<Credentials> call;

    private StsCredentialsLoader(LazyValue<StsClient> sts, Callable<Credentials> call) {
        this.sts = sts;
        this.call = call;
    }

    static StsCredentialsLoader assumeRole(CredentialsSpec.AssumeRole spec, Supplier<AwsCredentialsProvider> base) {
        LazyValue<StsClient> sts = new LazyValue<>(
                () -> client(spec.region(), spec.stsEndpoint(), base.get()));
        AssumeRoleRequest request = AssumeRoleRequest.builder().roleArn(spec.roleArn())
                .roleSessionName(spec.sessionName()).externalId(spec.externalId()).build();
        return new StsCredentialsLoader(sts, () -> sts.get().assumeRole(request).credentials());
    }

    static StsCredentialsLoader webIdentity(CredentialsSpec.WebIdentity spec) {
        // AssumeRoleWithWebIdentity is authorised by the token itself: the request is not signed.
        LazyValue<StsClient> sts = new LazyValue<>(
                () -> client(spec.region(), spec.stsEndpoint(), AnonymousCredentialsProvider.create()));
        return new StsCredentialsLoader(sts, () -> sts.get().assumeRoleWithWebIdentity(
                AssumeRoleWithWebIdentityRequest.builder().roleArn(spec.roleArn())
                        .roleSessionName(spec.sessionName()).webIdentityToken(token(spec)).build())
                .credentials());
    }

    CachingCredentialsSource source(String description) {
        return new CachingCredentialsSource(description, this, CredentialsExecutor.shared(),
                java.time.Clock.systemUTC(), this);
    }

    @Override
    public AwsCredentialsIdentity call() throws Exception {
        Credentials credentials = call.call();
        return AwsSessionCredentials.builder().accessKeyId(credentials.accessKeyId())
                .secretAccessKey(credentials.secretAccessKey()).sessionToken(credentials.sessionToken())
                .expirationTime(credentials.expiration()).providerName("StsCredentialsLoader").build();
    }

    @Override
    public void close() {
        StsClient client = sts.peek();
        if (client != null) {
            client.close();
        }
    }

    private static String token(CredentialsSpec.WebIdentity spec) {
        if (spec.token() != null) {
            return spec.token();
        }
        try {
            return Files.readString(spec.tokenFile(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web identity token file " + spec.tokenFile(), e);
        }
    }

    private static StsClient client(String region, URI endpoint, AwsCredentialsProvider credentials) {
        StsClientBuilder builder = StsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}

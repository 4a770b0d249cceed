package io.bedrockgateway.upstream;

import io.bedrockgateway.routing.BedrockService;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Upstream base URIs: the regional AWS hosts ({@code https://bedrock-runtime.<region>.<partition dns suffix>}) and
 * validation of configured endpoint overrides. Region names are checked strictly before they become part of a host
 * name, since pass-through model ARNs come from clients.
 *
 * <p>Stateless and thread-safe.
 */
public final class BedrockEndpoints {
    private static final Pattern REGION = Pattern.compile("[a-z]{2,8}(-[a-z]{2,12}){1,3}-[0-9]{1,2}");

    private BedrockEndpoints() {
    }

    /** Whether {@code region} looks like an AWS region name ({@code us-east-1}, {@code us-gov-west-1}, ...). */
    public static boolean isValidRegion(String region) {
        return region != null && REGION.matcher(region).matches();
    }

    /**
     * The regional endpoint of {@code service}, using the partition's DNS suffix ({@code amazonaws.com},
     * {@code amazonaws.com.cn} for {@code cn-*}, ...), as the SDK's offline partition metadata knows it.
     *
     * @throws IllegalArgumentException when {@code region} is no valid region name
     */
    public static URI regional(BedrockService service, String region) {
        if (!isValidRegion(region)) {
            throw new IllegalArgumentException("invalid AWS region name");
        }
        String dnsSuffix = PartitionMetadata.of(Region.of(region)).dnsSuffix();
        return URI.create("https://" + service.endpointPrefix() + "." + region + "." + dnsSuffix);
    }

    /**
     * Parses an endpoint override ({@code aws_bedrock_runtime_endpoint}, {@code AWS_ENDPOINT_URL_*}): http or https,
     * a host, an optional port, no path other than {@code /}, no query, fragment or user info.
     *
     * @return the normalised base URI, without a trailing slash
     * @throws IllegalArgumentException with a one-line reason (never echoing the value)
     */
    public static URI parseOverride(String value) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not contain user info");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())) {
            throw new IllegalArgumentException("must not have a path (only scheme, host and port)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("must not have a query or fragment");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    /**
     * The region of an ARN ({@code arn:<partition>:<service>:<region>:...}), or {@code null} when {@code value} is
     * no ARN or its region field is not a valid region name.
     */
    public static String regionOfArn(String value) {
        if (value == null || !value.startsWith("arn:")) {
            return null;
        }
        String[] parts = value.split(":", 5);
        return parts.length == 5 && isValidRegion(parts[3]) ? parts[3] : null;
    }
}

package io.bedrockgateway.config;

import io.bedrockgateway.upstream.BedrockEndpoints;

import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Where a region comes from when a deployment does not name one: the region of its model or inference-profile ARN,
 * then {@code AWS_REGION}, {@code AWS_REGION_NAME}, {@code AWS_DEFAULT_REGION}. The default deployment additionally
 * falls back to the AWS profile's region and finally to {@value #LAST_RESORT}.
 *
 * <p>Immutable and thread-safe.
 */
final class RegionChain {
    static final String LAST_RESORT = "us-east-1";
    static final List<String> ENV_VARS = List.of("AWS_REGION", "AWS_REGION_NAME", "AWS_DEFAULT_REGION");
    private static final Logger LOG = Logger.getLogger(RegionChain.class.getName());

    private final Environment env;

    RegionChain(Environment env) {
        this.env = env;
    }

    /** The first region set in the environment, or {@code null}. */
    String fromEnvironment() throws ConfigException {
        for (String name : ENV_VARS) {
            String value = env.get(name);
            if (value != null) {
                return checked(value.trim(), "environment variable " + name);
            }
        }
        return null;
    }

    /**
     * The region of one {@code model_list} entry.
     *
     * @param params     the entry's {@code litellm_params}
     * @param upstreamId the model id or ARN the entry sends upstream
     */
    String forDeployment(ConfigFields params, String upstreamId) throws ConfigException {
        String arnRegion = BedrockEndpoints.regionOfArn(upstreamId);
        String configured = params.string("aws_region_name");
        if (configured != null) {
            String region = checked(configured, params.field("aws_region_name"));
            if (arnRegion != null && !arnRegion.equals(region)) {
                LOG.warning(params.field("aws_region_name") + " '" + region + "' differs from the region '"
                        + arnRegion + "' of the model ARN; requests are sent to " + region);
            }
            return region;
        }
        if (arnRegion != null) {
            return arnRegion;
        }
        String region = fromEnvironment();
        if (region == null) {
            throw params.error("aws_region_name", " is missing and AWS_REGION is not set"
                    + " (neither are AWS_REGION_NAME and AWS_DEFAULT_REGION)");
        }
        return region;
    }

    /** The default deployment's region: environment, then the profile's region, then {@value #LAST_RESORT}. */
    String forDefault(Supplier<String> profileRegion) throws ConfigException {
        String region = fromEnvironment();
        if (region != null) {
            return region;
        }
        String fromProfile = profileRegion.get();
        if (fromProfile != null && BedrockEndpoints.isValidRegion(fromProfile)) {
            return fromProfile;
        }
        LOG.warning("no AWS region configured (AWS_REGION, AWS_REGION_NAME, AWS_DEFAULT_REGION or the AWS profile);"
                + " raw model ids and agent calls go to " + LAST_RESORT);
        return LAST_RESORT;
    }

    private static String checked(String region, String field) throws ConfigException {
        if (!BedrockEndpoints.isValidRegion(region)) {
            throw new ConfigException(field + " '" + region + "' is not a valid AWS region name");
        }
        return region;
    }
}

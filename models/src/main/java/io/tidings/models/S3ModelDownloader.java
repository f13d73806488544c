package io.tidings.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Copies a model directory from {@code s3://bucket/prefix/} to a local temporary directory, for
 * Amazon Managed Service for Apache Flink, which cannot mount EFS. {@link ModelLocation} calls it
 * once per JVM per location.
 *
 * <p>Credentials and region come from the AWS SDK's default chains (on Managed Flink: the
 * application's IAM role and {@code AWS_REGION}; the role needs {@code s3:GetObject} on the prefix);
 * without a region it uses {@code us-east-1} with cross-region access. For S3-compatible stores
 * (S3Proxy, MinIO, tests) set {@code -Dtidings.s3.endpoint=http://host:port} or
 * {@code TIDINGS_S3_ENDPOINT}: path-style addressing, checksums only where required.
 */
final class S3ModelDownloader {

    private S3ModelDownloader() {}

    /** @param location {@code s3://bucket/prefix} without a trailing slash */
    static Path download(String location, List<String> requiredFiles, List<String> optionalFiles) {
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1) + "/";
        try (S3Client s3 = client()) {
            Path dir = Files.createTempDirectory("tidings-model-s3-");
            dir.toFile().deleteOnExit();
            for (String file : requiredFiles) {
                if (!get(s3, bucket, prefix + file, dir.resolve(file))) {
                    throw new IllegalArgumentException("Model location " + location + " has no " + file
                            + " (s3://" + bucket + "/" + prefix + file + " not found)");
                }
            }
            for (String file : optionalFiles) {
                get(s3, bucket, prefix + file, dir.resolve(file));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a local directory for " + location, e);
        } catch (S3Exception e) {
            throw new IllegalStateException("Cannot download model from " + location + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IllegalStateException("Cannot reach S3 for " + location + ": " + e.getMessage(), e);
        }
    }

    /** Downloads one object; false when it does not exist. */
    private static boolean get(S3Client s3, String bucket, String key, Path target) {
        try {
            s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build(), ResponseTransformer.toFile(target));
            target.toFile().deleteOnExit();
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static S3Client client() {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        Region region;
        try {
            region = new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            region = Region.US_EAST_1;
            builder.crossRegionAccessEnabled(true);
        }
        builder.region(region);
        String endpoint = System.getProperty("tidings.s3.endpoint", System.getenv("TIDINGS_S3_ENDPOINT"));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }
}

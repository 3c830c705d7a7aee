package io.github.s3ite.junit;

import io.github.s3ite.junit.SeedObjects.SeedObject;
import io.github.s3ite.server.S3iteServer;
import io.github.s3ite.server.storage.ObjectHeaders;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An external S3 endpoint serving a context's tests in place of a local server. The extension
 * touches only the buckets declared for the tests: it creates those that are missing (a bucket that
 * exists must be empty), uploads their seeds' objects, brings them back to their seeds before each
 * test, and at close empties them all and deletes those it created.
 */
final class ExternalResource implements Fixture {
    private final S3iteExtension owner;
    private final ExternalEndpoint endpoint;
    private final S3Client admin;
    private final Map<String, AutoCloseable> clients = new ConcurrentHashMap<>();
    /** The buckets prepared so far and still in use, in the order they were first prepared. */
    private final Map<String, Prepared> prepared = new LinkedHashMap<>();
    private boolean closed;

    /** A bucket the extension looks after: whether it made it, and the objects it holds between tests. */
    private record Prepared(boolean created, Path seed, Map<String, SeedObject> objects) {
    }

    private ExternalResource(S3iteExtension owner, ExternalEndpoint endpoint) {
        this.owner = owner;
        this.endpoint = endpoint;
        this.admin = (S3Client) newClient(AwsClientFactory.S3_CLIENT);
    }

    /**
     * Connects to the endpoint; nothing is created yet.
     *
     * @throws ExtensionConfigurationException naming the dependency to add when the AWS SDK is missing
     */
    static Fixture connect(S3iteExtension owner, ExternalEndpoint endpoint) {
        try {
            Class.forName(AwsClientFactory.S3_CLIENT, false, ExternalResource.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ExtensionConfigurationException("s3ite: running against the external endpoint " + endpoint
                    + " (" + ExternalEndpoint.ENDPOINT + ") needs the AWS SDK for Java v2: add the dependency"
                    + " software.amazon.awssdk:s3", e);
        }
        return new ExternalResource(owner, endpoint);
    }

    @Override
    public S3iteExtension owner() {
        return owner;
    }

    @Override
    public synchronized void prepareBuckets(Map<String, Path> buckets, boolean reset) {
        try {
            if (reset) {
                for (String name : List.copyOf(prepared.keySet())) {
                    if (!buckets.containsKey(name)) {
                        release(name, prepared.get(name));
                        prepared.remove(name);
                    }
                }
            }
            for (Map.Entry<String, Path> bucket : buckets.entrySet()) {
                String name = bucket.getKey();
                Path seed = bucket.getValue();
                Prepared earlier = prepared.get(name);
                if (earlier == null) {
                    boolean created = acquire(name);
                    Prepared now = new Prepared(created, seed, SeedObjects.read(seed));
                    prepared.put(name, now);
                    restore(name, now.objects());
                } else if (reset || !Objects.equals(earlier.seed(), seed)) {
                    Prepared now = Objects.equals(earlier.seed(), seed)
                            ? earlier : new Prepared(earlier.created(), seed, SeedObjects.read(seed));
                    prepared.put(name, now);
                    restore(name, now.objects());
                }
            }
        } catch (S3Exception e) {
            throw new IllegalStateException("s3ite: preparing the buckets " + buckets.keySet() + " at " + endpoint
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** Makes the bucket when missing (true), or checks that the one there is empty (false). */
    private boolean acquire(String name) {
        try {
            admin.headBucket(b -> b.bucket(name));
        } catch (NoSuchBucketException e) {
            admin.createBucket(b -> {
                b.bucket(name);
                if (!ExternalEndpoint.DEFAULT_REGION.equals(endpoint.region())) {
                    b.createBucketConfiguration(c -> c.locationConstraint(endpoint.region()));
                }
            });
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                admin.createBucket(b -> b.bucket(name));
                return true;
            }
            throw new ExtensionConfigurationException("s3ite: the bucket '" + name + "' at " + endpoint
                    + " cannot be used (HTTP " + e.statusCode() + "): it may belong to someone else", e);
        }
        var listing = admin.listObjectsV2(b -> b.bucket(name).maxKeys(1));
        if (!listing.contents().isEmpty()) {
            throw new ExtensionConfigurationException("s3ite: the bucket '" + name + "' already exists at " + endpoint
                    + " and is not empty (it holds '" + listing.contents().get(0).key() + "'). The extension empties"
                    + " and restores declared buckets between tests, so it only takes a bucket it creates or an"
                    + " empty one: empty it, delete it, or declare another name.");
        }
        return false;
    }

    /**
     * Makes the bucket hold exactly {@code objects}: unfinished multipart uploads aborted, other keys
     * deleted, and seeded objects that are missing or differ (by ETag and size) put again.
     */
    private void restore(String name, Map<String, SeedObject> objects) {
        for (MultipartUpload upload : admin.listMultipartUploadsPaginator(b -> b.bucket(name)).uploads()) {
            admin.abortMultipartUpload(b -> b.bucket(name).key(upload.key()).uploadId(upload.uploadId()));
        }
        Map<String, SeedObject> missing = new LinkedHashMap<>(objects);
        List<ObjectIdentifier> unwanted = new ArrayList<>();
        for (S3Object object : admin.listObjectsV2Paginator(b -> b.bucket(name)).contents()) {
            SeedObject seeded = objects.get(object.key());
            if (seeded != null && seeded.value().length == object.size() && seeded.md5().equals(unquoted(object.eTag()))) {
                missing.remove(object.key());
            } else if (seeded == null) {
                unwanted.add(ObjectIdentifier.builder().key(object.key()).build());
            }
        }
        for (int from = 0; from < unwanted.size(); from += 1000) {
            List<ObjectIdentifier> batch = unwanted.subList(from, Math.min(unwanted.size(), from + 1000));
            DeleteObjectsResponse response = admin.deleteObjects(b -> b.bucket(name).delete(d -> d.objects(batch).quiet(true)));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                throw new IllegalStateException("s3ite: cannot delete '" + response.errors().get(0).key() + "' from the bucket '"
                        + name + "' at " + endpoint + ": " + response.errors().get(0).message());
            }
        }
        for (SeedObject object : missing.values()) {
            admin.putObject(putRequest(name, object), RequestBody.fromBytes(object.value()));
        }
    }

    private static PutObjectRequest putRequest(String bucket, SeedObject object) {
        ObjectHeaders headers = object.headers();
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(bucket)
                .key(object.key())
                .metadata(object.userMetadata())
                .contentType(headers.contentType())
                .contentEncoding(headers.contentEncoding())
                .contentDisposition(headers.contentDisposition())
                .contentLanguage(headers.contentLanguage())
                .cacheControl(headers.cacheControl());
        Instant expires = httpDate(headers.expires());
        if (expires != null) {
            put.expires(expires);
        }
        return put.build();
    }

    private static Instant httpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null; // S3 keeps an unparsable Expires as text; the SDK cannot send one
        }
    }

    private static String unquoted(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    /** Empties a bucket that is no longer used, and deletes it when the extension made it. */
    private void release(String name, Prepared bucket) {
        restore(name, Map.of());
        if (bucket.created()) {
            admin.deleteBucket(b -> b.bucket(name));
        }
    }

    @Override
    public Object client(String typeName) {
        return clients.computeIfAbsent(typeName, this::newClient);
    }

    private AutoCloseable newClient(String typeName) {
        Region region = Region.of(endpoint.region());
        return switch (typeName) {
            case AwsClientFactory.S3_CLIENT -> S3Client.builder().endpointOverride(endpoint.endpoint()).region(region)
                    .credentialsProvider(credentials()).forcePathStyle(true).build();
            case AwsClientFactory.S3_ASYNC_CLIENT -> S3AsyncClient.builder().endpointOverride(endpoint.endpoint()).region(region)
                    .credentialsProvider(credentials()).forcePathStyle(true).build();
            case AwsClientFactory.S3_PRESIGNER -> S3Presigner.builder().endpointOverride(endpoint.endpoint()).region(region)
                    .credentialsProvider(credentials())
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
            default -> throw new ParameterResolutionException("Not an AWS SDK client type: " + typeName);
        };
    }

    private AwsCredentialsProvider credentials() {
        if (endpoint.accessKey() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey()));
    }

    @Override
    public Optional<S3iteServer> localServer() {
        return Optional.empty();
    }

    @Override
    public Map<String, String> sdkSystemProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(SystemPropertiesResource.ENDPOINT, endpoint.endpoint().toString());
        properties.put(SystemPropertiesResource.REGION, endpoint.region());
        if (endpoint.accessKey() != null) {
            properties.put(SystemPropertiesResource.ACCESS_KEY, endpoint.accessKey());
            properties.put(SystemPropertiesResource.SECRET_KEY, endpoint.secretKey());
        }
        return properties;
    }

    @Override
    public String describe() {
        return endpoint.describe();
    }

    /** Empties every bucket the tests used and deletes those the extension made; then closes the clients. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (Map.Entry<String, Prepared> bucket : prepared.entrySet()) {
            try {
                release(bucket.getKey(), bucket.getValue());
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new IllegalStateException("s3ite: cleaning up the bucket '" + bucket.getKey() + "' at "
                            + endpoint + " failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        prepared.clear();
        clients.values().forEach(ExternalResource::closeQuietly);
        closeQuietly(admin);
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(AutoCloseable client) {
        try {
            client.close();
        } catch (Exception e) {
            // a client that fails to close holds nothing of the endpoint's
        }
    }
}

package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * ListBuckets paging and the other bucket answers the ceph s3-tests suite found inexact: BucketRegion,
 * re-creating a bucket you own, CreateBucket's LocationConstraint, Content-Encoding as sent.
 */
class ListBucketsEndToEndTest {
    private static final List<String> NAMES = List.of("alpha-1", "alpha-2", "alpha-3", "beta-1", "beta-2");
    private static S3iteServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = new S3iteServer().start();
        s3 = server.createClient();
        for (String name : NAMES) {
            s3.createBucket(b -> b.bucket(name));
        }
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static List<String> names(ListBucketsResponse response) {
        return response.buckets().stream().map(Bucket::name).toList();
    }

    @Test
    void maxBucketsPagesWithAContinuationToken() {
        ListBucketsResponse first = s3.listBuckets(b -> b.maxBuckets(2));
        assertEquals(List.of("alpha-1", "alpha-2"), names(first));
        assertTrue(first.continuationToken() != null && !first.continuationToken().isEmpty());
        ListBucketsResponse second = s3.listBuckets(b -> b.maxBuckets(2).continuationToken(first.continuationToken()));
        assertEquals(List.of("alpha-3", "beta-1"), names(second));
        ListBucketsResponse last = s3.listBuckets(b -> b.maxBuckets(2).continuationToken(second.continuationToken()));
        assertEquals(List.of("beta-2"), names(last));
        assertNull(last.continuationToken());

        List<String> all = new ArrayList<>();
        s3.listBucketsPaginator(b -> b.maxBuckets(1)).buckets().forEach(bucket -> all.add(bucket.name()));
        assertEquals(NAMES, all);
    }

    @Test
    void prefixLimitsTheBucketsAndIsEchoed() {
        ListBucketsResponse beta = s3.listBuckets(b -> b.prefix("beta"));
        assertEquals(List.of("beta-1", "beta-2"), names(beta));
        assertEquals("beta", beta.prefix());
        ListBucketsResponse paged = s3.listBuckets(b -> b.prefix("alpha").maxBuckets(2));
        assertEquals(List.of("alpha-1", "alpha-2"), names(paged));
        assertEquals(List.of("alpha-3"),
                names(s3.listBuckets(b -> b.prefix("alpha").maxBuckets(2).continuationToken(paged.continuationToken()))));
        assertEquals(NAMES, names(s3.listBuckets()));
        assertNull(s3.listBuckets().prefix());
    }

    @Test
    void everyBucketNamesItsRegion() {
        assertTrue(s3.listBuckets().buckets().stream().allMatch(bucket -> "us-east-1".equals(bucket.bucketRegion())));
        assertEquals(NAMES, names(s3.listBuckets(b -> b.bucketRegion("us-east-1"))));
        assertEquals(List.of(), names(s3.listBuckets(b -> b.bucketRegion("eu-west-1"))));
    }

    @Test
    void badMaxBucketsAndTokensAreInvalidArgument() {
        for (int max : new int[] {0, 10_001}) {
            S3Exception error = assertThrows(S3Exception.class, () -> s3.listBuckets(b -> b.maxBuckets(max)));
            assertEquals(400, error.statusCode());
            assertEquals("InvalidArgument", error.awsErrorDetails().errorCode());
        }
        S3Exception error = assertThrows(S3Exception.class, () -> s3.listBuckets(b -> b.continuationToken("!!not a token")));
        assertEquals("InvalidArgument", error.awsErrorDetails().errorCode());
    }

    @Test
    void reCreatingABucketYouOwnInUsEast1Answers200() {
        s3.createBucket(b -> b.bucket("alpha-1"));
        assertTrue(names(s3.listBuckets()).contains("alpha-1"));
    }

    @Test
    void reCreatingABucketYouOwnInAnotherRegionIsBucketAlreadyOwnedByYou() {
        try (S3iteServer frankfurt = new S3iteServer().withRegion("eu-central-1").start()) {
            S3Client client = frankfurt.createClient();
            client.createBucket(b -> b.bucket("mine"));
            BucketAlreadyOwnedByYouException error = assertThrows(BucketAlreadyOwnedByYouException.class,
                    () -> client.createBucket(b -> b.bucket("mine")));
            assertEquals(409, error.statusCode());
            assertEquals(BucketLocationConstraint.EU_CENTRAL_1,
                    client.getBucketLocation(b -> b.bucket("mine")).locationConstraint());
        }
    }

    @Test
    void aLocationConstraintOtherThanTheServersRegionIsIllegal() {
        S3Exception error = assertThrows(S3Exception.class, () -> s3.createBucket(b -> b.bucket("elsewhere")
                .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_1))));
        assertEquals(400, error.statusCode());
        assertEquals("IllegalLocationConstraintException", error.awsErrorDetails().errorCode());
        assertEquals("The eu-west-1 location constraint is incompatible for the region specific endpoint this request"
                + " was sent to.", error.awsErrorDetails().errorMessage());
        assertTrue(!names(s3.listBuckets()).contains("elsewhere"));

        try (S3iteServer frankfurt = new S3iteServer().withRegion("eu-central-1").start()) {
            S3Client client = frankfurt.createClient();
            client.createBucket(b -> b.bucket("here")
                    .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_CENTRAL_1)));
            S3Exception other = assertThrows(S3Exception.class, () -> client.createBucket(b -> b.bucket("there")
                    .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.US_WEST_2))));
            assertEquals("IllegalLocationConstraintException", other.awsErrorDetails().errorCode());
        }
    }

    @Test
    void anInvalidLocationConstraintIsInvalidLocationConstraint() {
        for (String constraint : new String[] {"not-a-region", "us-east-1"}) {
            S3Exception error = assertThrows(S3Exception.class, () -> s3.createBucket(b -> b.bucket("invalid")
                    .createBucketConfiguration(c -> c.locationConstraint(constraint))));
            assertEquals(400, error.statusCode());
            assertEquals("InvalidLocationConstraint", error.awsErrorDetails().errorCode());
            assertEquals("The specified location-constraint is not valid", error.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void contentEncodingIsReturnedAsSent() {
        s3.putObject(b -> b.bucket("beta-1").key("encoded").contentEncoding("deflate, gzip"),
                RequestBody.fromString("not really compressed"));
        HeadObjectResponse head = s3.headObject(b -> b.bucket("beta-1").key("encoded"));
        assertEquals("deflate, gzip", head.contentEncoding());
        assertEquals("deflate, gzip", s3.getObject(b -> b.bucket("beta-1").key("encoded")).response().contentEncoding());
    }
}

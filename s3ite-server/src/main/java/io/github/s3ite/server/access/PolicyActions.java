package io.github.s3ite.server.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The IAM actions of Amazon S3 ("Actions, resources, and condition keys for Amazon S3" in the
 * Service Authorization Reference), each with the resource it applies to. PutBucketPolicy refuses an
 * action that names none of them, and a statement whose actions apply to none of its resources.
 */
final class PolicyActions {
    /** What an action applies to. */
    enum Target {
        /** {@code arn:aws:s3:::bucket} */
        BUCKET,
        /** {@code arn:aws:s3:::bucket/key} */
        OBJECT,
        /** Neither: the account, an access point, a job, ...; never a bucket policy's resource. */
        OTHER
    }

    private static final List<String> OBJECT_ACTIONS = List.of(
            "AbortMultipartUpload", "BypassGovernanceRetention", "DeleteObject", "DeleteObjectTagging",
            "DeleteObjectVersion", "DeleteObjectVersionTagging", "GetObject", "GetObjectAcl",
            "GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention", "GetObjectTagging",
            "GetObjectTorrent", "GetObjectVersion", "GetObjectVersionAcl", "GetObjectVersionAttributes",
            "GetObjectVersionForReplication", "GetObjectVersionTagging", "GetObjectVersionTorrent",
            "InitiateReplication", "ListMultipartUploadParts", "ObjectOwnerOverrideToBucketOwner",
            "PutObject", "PutObjectAcl", "PutObjectLegalHold", "PutObjectRetention", "PutObjectTagging",
            "PutObjectVersionAcl", "PutObjectVersionTagging", "ReplicateDelete", "ReplicateObject",
            "ReplicateTags", "RestoreObject");

    private static final List<String> BUCKET_ACTIONS = List.of(
            "CreateBucket", "CreateBucketMetadataTableConfiguration", "DeleteBucket",
            "DeleteBucketMetadataTableConfiguration", "DeleteBucketOwnershipControls",
            "DeleteBucketPolicy", "DeleteBucketWebsite", "GetAccelerateConfiguration",
            "GetAnalyticsConfiguration", "GetBucketAcl", "GetBucketCORS", "GetBucketLocation",
            "GetBucketLogging", "GetBucketMetadataTableConfiguration", "GetBucketNotification",
            "GetBucketObjectLockConfiguration", "GetBucketOwnershipControls", "GetBucketPolicy",
            "GetBucketPolicyStatus", "GetBucketPublicAccessBlock", "GetBucketRequestPayment",
            "GetBucketTagging", "GetBucketVersioning", "GetBucketWebsite", "GetEncryptionConfiguration",
            "GetIntelligentTieringConfiguration", "GetInventoryConfiguration", "GetLifecycleConfiguration",
            "GetMetricsConfiguration", "GetReplicationConfiguration", "ListBucket",
            "ListBucketMultipartUploads", "ListBucketVersions", "PutAccelerateConfiguration",
            "PutAnalyticsConfiguration", "PutBucketAcl", "PutBucketCORS", "PutBucketLogging",
            "PutBucketNotification", "PutBucketObjectLockConfiguration", "PutBucketOwnershipControls",
            "PutBucketPolicy", "PutBucketPublicAccessBlock", "PutBucketRequestPayment", "PutBucketTagging",
            "PutBucketVersioning", "PutBucketWebsite", "PutEncryptionConfiguration",
            "PutIntelligentTieringConfiguration", "PutInventoryConfiguration", "PutLifecycleConfiguration",
            "PutMetricsConfiguration", "PutReplicationConfiguration");

    private static final List<String> OTHER_ACTIONS = List.of(
            "CreateAccessPoint", "CreateAccessPointForObjectLambda", "CreateJob",
            "CreateMultiRegionAccessPoint", "DeleteAccessPoint", "DeleteAccessPointForObjectLambda",
            "DeleteAccessPointPolicy", "DeleteAccessPointPolicyForObjectLambda", "DeleteJobTagging",
            "DeleteMultiRegionAccessPoint", "DeleteStorageLensConfiguration",
            "DeleteStorageLensConfigurationTagging", "DescribeJob", "DescribeMultiRegionAccessPointOperation",
            "GetAccessPoint", "GetAccessPointConfigurationForObjectLambda", "GetAccessPointForObjectLambda",
            "GetAccessPointPolicy", "GetAccessPointPolicyForObjectLambda", "GetAccessPointPolicyStatus",
            "GetAccessPointPolicyStatusForObjectLambda", "GetAccountPublicAccessBlock", "GetJobTagging",
            "GetMultiRegionAccessPoint", "GetMultiRegionAccessPointPolicy",
            "GetMultiRegionAccessPointPolicyStatus", "GetStorageLensConfiguration",
            "GetStorageLensConfigurationTagging", "GetStorageLensDashboard", "ListAccessPoints",
            "ListAccessPointsForObjectLambda", "ListAllMyBuckets", "ListJobs", "ListMultiRegionAccessPoints",
            "ListStorageLensConfigurations", "PutAccessPointConfigurationForObjectLambda",
            "PutAccessPointPolicy", "PutAccessPointPolicyForObjectLambda", "PutAccessPointPublicAccessBlock",
            "PutAccountPublicAccessBlock", "PutJobTagging", "PutMultiRegionAccessPointPolicy",
            "PutStorageLensConfiguration", "PutStorageLensConfigurationTagging", "UpdateJobPriority",
            "UpdateJobStatus");

    /** {@code s3:<action>} in lower case, to its target. */
    private static final Map<String, Target> ACTIONS;

    static {
        Map<String, Target> actions = new LinkedHashMap<>();
        OBJECT_ACTIONS.forEach(action -> actions.put(lower(action), Target.OBJECT));
        BUCKET_ACTIONS.forEach(action -> actions.put(lower(action), Target.BUCKET));
        OTHER_ACTIONS.forEach(action -> actions.put(lower(action), Target.OTHER));
        ACTIONS = Collections.unmodifiableMap(actions);
    }

    private PolicyActions() {
    }

    private static String lower(String action) {
        return "s3:" + action.toLowerCase(Locale.ROOT);
    }

    /**
     * What the S3 actions an {@code Action} pattern names apply to; empty when it names none (an
     * action of another service, or a name S3 does not have). Action names compare without regard to
     * case.
     */
    static Set<Target> targets(PolicyPattern pattern) {
        Set<Target> targets = EnumSet.noneOf(Target.class);
        ACTIONS.forEach((action, target) -> {
            if (pattern.matches(action, true)) {
                targets.add(target);
            }
        });
        return targets;
    }

    /** Every action of the catalogue, as IAM writes it; for tests. */
    static List<String> all() {
        List<String> all = new ArrayList<>();
        OBJECT_ACTIONS.forEach(action -> all.add("s3:" + action));
        BUCKET_ACTIONS.forEach(action -> all.add("s3:" + action));
        OTHER_ACTIONS.forEach(action -> all.add("s3:" + action));
        return all;
    }
}

package io.github.s3ite.server.http;

/** The S3 API operations this server answers, named as in the S3 API reference. */
public enum S3Operation {
    LIST_BUCKETS(false),
    CREATE_BUCKET(true),
    HEAD_BUCKET(false),
    DELETE_BUCKET(true),
    GET_BUCKET_LOCATION(false),
    GET_BUCKET_VERSIONING(false),
    PUT_BUCKET_VERSIONING(true),
    GET_BUCKET_TAGGING(false),
    PUT_BUCKET_TAGGING(true),
    DELETE_BUCKET_TAGGING(true),
    GET_BUCKET_LOGGING(false),
    PUT_BUCKET_LOGGING(true),
    GET_BUCKET_REQUEST_PAYMENT(false),
    PUT_BUCKET_REQUEST_PAYMENT(true),
    GET_BUCKET_ACCELERATE_CONFIGURATION(false),
    PUT_BUCKET_ACCELERATE_CONFIGURATION(true),
    GET_BUCKET_WEBSITE(false),
    PUT_BUCKET_WEBSITE(true),
    DELETE_BUCKET_WEBSITE(true),
    GET_BUCKET_NOTIFICATION_CONFIGURATION(false),
    PUT_BUCKET_NOTIFICATION_CONFIGURATION(true),
    GET_BUCKET_REPLICATION(false),
    PUT_BUCKET_REPLICATION(true),
    DELETE_BUCKET_REPLICATION(true),
    GET_BUCKET_CORS(false),
    PUT_BUCKET_CORS(true),
    DELETE_BUCKET_CORS(true),
    GET_BUCKET_LIFECYCLE_CONFIGURATION(false),
    PUT_BUCKET_LIFECYCLE_CONFIGURATION(true),
    DELETE_BUCKET_LIFECYCLE(true),
    /** An {@code OPTIONS} request: answered from the bucket's CORS rules, unsigned, before any handler. */
    CORS_PREFLIGHT(false),
    GET_OBJECT_LOCK_CONFIGURATION(false),
    PUT_OBJECT_LOCK_CONFIGURATION(true),
    GET_BUCKET_ENCRYPTION(false),
    PUT_BUCKET_ENCRYPTION(true),
    DELETE_BUCKET_ENCRYPTION(true),
    GET_BUCKET_ACL(false),
    PUT_BUCKET_ACL(true),
    GET_BUCKET_POLICY(false),
    PUT_BUCKET_POLICY(true),
    DELETE_BUCKET_POLICY(true),
    GET_BUCKET_POLICY_STATUS(false),
    GET_PUBLIC_ACCESS_BLOCK(false),
    PUT_PUBLIC_ACCESS_BLOCK(true),
    DELETE_PUBLIC_ACCESS_BLOCK(true),
    GET_BUCKET_OWNERSHIP_CONTROLS(false),
    PUT_BUCKET_OWNERSHIP_CONTROLS(true),
    DELETE_BUCKET_OWNERSHIP_CONTROLS(true),
    LIST_OBJECTS(false),
    LIST_OBJECTS_V2(false),
    LIST_OBJECT_VERSIONS(false),
    LIST_MULTIPART_UPLOADS(false),
    DELETE_OBJECTS(true),
    PUT_OBJECT(true),
    /**
     * A browser form upload ({@code POST /bucket}, {@code multipart/form-data}). Its signature is in
     * the form, not in the head: the edge lets it in unsigned and verifies its POST policy once the
     * fields before the file are read, the one operation authenticated after its head.
     */
    POST_OBJECT(true),
    COPY_OBJECT(true),
    GET_OBJECT(false),
    HEAD_OBJECT(false),
    GET_OBJECT_ATTRIBUTES(false),
    DELETE_OBJECT(true),
    GET_OBJECT_ACL(false),
    PUT_OBJECT_ACL(true),
    GET_OBJECT_TAGGING(false),
    PUT_OBJECT_TAGGING(true),
    DELETE_OBJECT_TAGGING(true),
    GET_OBJECT_RETENTION(false),
    PUT_OBJECT_RETENTION(true),
    GET_OBJECT_LEGAL_HOLD(false),
    PUT_OBJECT_LEGAL_HOLD(true),
    CREATE_MULTIPART_UPLOAD(true),
    UPLOAD_PART(true),
    UPLOAD_PART_COPY(true),
    COMPLETE_MULTIPART_UPLOAD(true),
    ABORT_MULTIPART_UPLOAD(true),
    LIST_PARTS(false);

    private final boolean write;
    private final String s3Name;

    S3Operation(boolean write) {
        this.write = write;
        StringBuilder name = new StringBuilder();
        for (String word : name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        this.s3Name = name.toString();
    }

    /** The operation's name as the S3 API reference spells it, e.g. {@code ListObjectsV2}. */
    public String s3Name() {
        return s3Name;
    }

    /** Whether the operation changes stored state (refused by a read-only server). */
    public boolean isWrite() {
        return write;
    }
}

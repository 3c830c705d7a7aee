package io.github.s3ite.server.access;

/** What an ACL grant allows, in S3's words. */
public enum Permission {
    FULL_CONTROL, WRITE, WRITE_ACP, READ, READ_ACP;

    /** Whether a grant of this permission allows what {@code needed} names. */
    boolean covers(Permission needed) {
        return this == FULL_CONTROL || this == needed;
    }

    /** The permission an {@code x-amz-grant-*} header grants, or null for another header. */
    public static Permission ofGrantHeader(String lowerCaseName) {
        return switch (lowerCaseName) {
            case "x-amz-grant-full-control" -> FULL_CONTROL;
            case "x-amz-grant-write" -> WRITE;
            case "x-amz-grant-write-acp" -> WRITE_ACP;
            case "x-amz-grant-read" -> READ;
            case "x-amz-grant-read-acp" -> READ_ACP;
            default -> null;
        };
    }
}

package io.github.s3ite.server.checksum;

/** What a flexible checksum covers, as S3 names it in {@code x-amz-checksum-type}. */
public enum ChecksumType {
    /** A checksum of the whole object's bytes (any single PUT; CRC multipart objects on request). */
    FULL_OBJECT,
    /** A checksum of the parts' checksums, followed by {@code -N} (multipart objects). */
    COMPOSITE;

    /** The type a stored or sent name stands for; null for null or an unknown name. */
    public static ChecksumType fromName(String name) {
        if (name == null) {
            return null;
        }
        for (ChecksumType type : values()) {
            if (type.name().equalsIgnoreCase(name.trim())) {
                return type;
            }
        }
        return null;
    }
}

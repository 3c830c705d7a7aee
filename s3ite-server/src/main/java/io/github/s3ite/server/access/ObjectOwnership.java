package io.github.s3ite.server.access;

/** A bucket's ObjectOwnership setting, in S3's spelling. */
public enum ObjectOwnership {
    /** ACLs are off: the bucket owner owns every object; only ACLs that grant it alone are accepted. */
    BucketOwnerEnforced,
    /** An object written with the bucket-owner-full-control ACL belongs to the bucket owner. */
    BucketOwnerPreferred,
    /** The writer of an object owns it: S3's behaviour before ownership controls existed. */
    ObjectWriter;

    public boolean aclsEnabled() {
        return this != BucketOwnerEnforced;
    }

    /** The setting named {@code name}, or null when S3 knows no such setting. */
    public static ObjectOwnership parse(String name) {
        for (ObjectOwnership value : values()) {
            if (value.name().equals(name)) {
                return value;
            }
        }
        return null;
    }
}

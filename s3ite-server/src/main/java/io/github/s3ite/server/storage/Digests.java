package io.github.s3ite.server.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** MD5, which S3's ETags and the original's md5 column are made of. */
final class Digests {
    private Digests() {
    }

    static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }

    static byte[] md5(byte[] value) {
        return newMd5().digest(value);
    }
}

package io.github.s3ite.server.checksum;

/** A running checksum over bytes, of any of S3's flexible checksum algorithms. */
public interface ChecksumDigest {
    void update(byte[] bytes, int offset, int length);

    /** The checksum of everything given so far, big-endian bytes as S3 encodes them in base64. */
    byte[] digest();
}

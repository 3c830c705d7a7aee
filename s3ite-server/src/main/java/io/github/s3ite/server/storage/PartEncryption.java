package io.github.s3ite.server.storage;

/**
 * How a part of an SSE-C upload was encrypted when it was uploaded: its bytes are AES-256-CTR
 * ciphertext under the upload's customer key from the initial counter {@code iv}. The CRC64NVME of
 * its plaintext is kept beside it, so that completion, which has no key, can give the object the
 * checksum S3 gives objects uploaded without one.
 *
 * @param iv                 the 16-byte initial counter
 * @param plaintextCrc64nvme the base64 CRC64NVME of the part's plaintext
 */
public record PartEncryption(byte[] iv, String plaintextCrc64nvme) {
    public PartEncryption {
        iv = iv.clone();
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }
}

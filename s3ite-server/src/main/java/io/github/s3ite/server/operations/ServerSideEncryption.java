package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.DefaultEncryption;
import io.github.s3ite.server.checksum.ChecksumAlgorithm;
import io.github.s3ite.server.checksum.ChecksumDigest;
import io.github.s3ite.server.checksum.Checksums;
import io.github.s3ite.server.storage.ObjectEncryption;
import io.github.s3ite.server.storage.PartEncryption;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server-side encryption headers of object requests: SSE-S3 and SSE-KMS (recorded and reported),
 * and SSE-C, whose value is stored AES-256-CTR encrypted with the customer's key. CTR lets a range be
 * decrypted from its own bytes: the counter of byte {@code n} of a segment is the segment's initial
 * counter plus {@code n / 16}. An object written whole is one segment; one completed from an SSE-C
 * multipart upload is one per part, each encrypted with a counter of its own when it was uploaded
 * (CompleteMultipartUpload has no key to encrypt the whole with).
 */
final class ServerSideEncryption {
    static final String ALGORITHM = "x-amz-server-side-encryption";
    static final String KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";
    static final String BUCKET_KEY = "x-amz-server-side-encryption-bucket-key-enabled";
    static final String CONTEXT = "x-amz-server-side-encryption-context";
    static final String CUSTOMER = "x-amz-server-side-encryption-customer-";
    static final String COPY_SOURCE_CUSTOMER = "x-amz-copy-source-server-side-encryption-customer-";
    private static final Set<String> ALGORITHMS = Set.of("AES256", "aws:kms", "aws:kms:dsse");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServerSideEncryption() {
    }

    /** A customer key that matched its MD5. Never stored. */
    record CustomerKey(byte[] key, String md5) {
    }

    /**
     * How a new object (PutObject, CopyObject's target, CreateMultipartUpload) is to be encrypted:
     * as its headers say, else as the bucket's default. Null means plain SSE-S3. An SSE-C answer
     * carries no initial counter yet: {@link #seal} makes one.
     *
     * @throws S3Exception InvalidArgument, InvalidEncryptionAlgorithmError
     */
    static ObjectEncryption forWrite(S3Request request, BucketFile bucket, CustomerKey customer) {
        String algorithm = request.header(ALGORITHM);
        String keyId = request.header(KMS_KEY_ID);
        String bucketKey = request.header(BUCKET_KEY);
        String context = request.header(CONTEXT);
        if (customer != null) {
            if (algorithm != null || keyId != null) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "Server Side Encryption with Customer provided key is incompatible with the encryption method specified")
                        .with("ArgumentName", ALGORITHM).with("ArgumentValue", algorithm);
            }
            return ObjectEncryption.customer(customer.md5(), List.of());
        }
        if (algorithm == null) {
            if (keyId != null || context != null) {
                throw kmsHeaderWithoutKms(keyId != null ? KMS_KEY_ID : CONTEXT);
            }
            DefaultEncryption fallback = bucket.defaultEncryption();
            if (fallback == null) {
                return null;
            }
            ObjectEncryption inherited = fallback.objectEncryption();
            if (bucketKey != null && inherited.serverSideEncryption().startsWith("aws:kms")) {
                return ObjectEncryption.serverSide(inherited.serverSideEncryption(), inherited.kmsKeyId(),
                        Boolean.parseBoolean(bucketKey), null);
            }
            return inherited;
        }
        if (!ALGORITHMS.contains(algorithm)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The encryption method specified is not supported")
                    .with("ArgumentName", ALGORITHM).with("ArgumentValue", algorithm);
        }
        boolean kms = algorithm.startsWith("aws:kms");
        if (!kms && (keyId != null || context != null)) {
            throw kmsHeaderWithoutKms(keyId != null ? KMS_KEY_ID : CONTEXT);
        }
        if (context != null) {
            checkContext(context);
        }
        if (kms && keyId == null && bucket.defaultEncryption() != null
                && algorithm.equals(bucket.defaultEncryption().algorithm())) {
            keyId = bucket.defaultEncryption().kmsKeyId();
        }
        return ObjectEncryption.serverSide(algorithm, kms ? keyId : null, kms && Boolean.parseBoolean(bucketKey), context);
    }

    private static S3Exception kmsHeaderWithoutKms(String header) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
                .with("ArgumentName", header);
    }

    /** The context is base64 of a JSON object. */
    private static void checkContext(String context) {
        try {
            String json = new String(Base64.getDecoder().decode(context), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (json.startsWith("{") && json.endsWith("}")) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The header 'x-amz-server-side-encryption-context' shall be"
                + " Base64-encoded UTF-8 string holding JSON which represents a string-string map")
                .with("ArgumentName", CONTEXT);
    }

    /**
     * The customer key of a request ({@code x-amz-server-side-encryption-customer-*}, or with
     * {@code copySource} the {@code x-amz-copy-source-...} ones), checked against its MD5; null
     * when none of the three headers is there.
     *
     * @throws S3Exception InvalidEncryptionAlgorithmError, InvalidArgument
     */
    static CustomerKey customerKey(S3Request request, boolean copySource) {
        String prefix = copySource ? COPY_SOURCE_CUSTOMER : CUSTOMER;
        String algorithm = request.header(prefix + "algorithm");
        String key = request.header(prefix + "key");
        String md5 = request.header(prefix + "key-md5");
        if (algorithm == null && key == null && md5 == null) {
            return null;
        }
        // S3 names x-amz-server-side-encryption in these refusals, for the copy source's headers too
        if (algorithm == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with Customer"
                    + " provided keys must provide a valid encryption algorithm.")
                    .with("ArgumentName", ALGORITHM).with("ArgumentValue", "null");
        }
        if (!"AES256".equals(algorithm)) {
            throw new S3Exception(S3ErrorCode.INVALID_ENCRYPTION_ALGORITHM)
                    .with("ArgumentName", ALGORITHM).with("ArgumentValue", algorithm);
        }
        if (key == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with Customer"
                    + " provided keys must provide an appropriate secret key.").with("ArgumentName", prefix + "key");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (md5 == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with Customer"
                    + " provided keys must provide the client calculated MD5 of the secret key.")
                    .with("ArgumentName", prefix + "key-MD5");
        }
        // S3 compares the MD5 first: a key of the wrong length with another key's MD5 is a mismatch
        String actual = Base64.getEncoder().encodeToString(md5(bytes));
        if (!actual.equals(md5)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "The calculated MD5 hash of the key did not match the hash that was provided.")
                    .with("ArgumentName", ALGORITHM).with("ArgumentValue", "null");
        }
        if (bytes.length != 32) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The secret key was invalid for the specified algorithm.")
                    .with("ArgumentName", prefix + "key");
        }
        return new CustomerKey(bytes, md5);
    }

    /**
     * Checks that a read of a stored version brings the key it needs: none for a version not under
     * SSE-C, the same one for a version that is.
     *
     * @throws S3Exception InvalidRequest (400) for a missing or unneeded key, AccessDenied (403) for another key
     */
    static void checkRead(ObjectEncryption stored, CustomerKey given) {
        boolean encrypted = stored != null && stored.isCustomerKey();
        if (!encrypted) {
            if (given != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The encryption parameters are not applicable to this object.");
            }
            return;
        }
        if (given == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The object was stored using a form of Server Side"
                    + " Encryption. The correct parameters must be provided to retrieve the object.");
        }
        if (!given.md5().equals(stored.customerKeyMd5())) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Requests specifying Server Side Encryption with Customer"
                    + " provided keys must provide the correct secret key.");
        }
    }

    /**
     * Checks the customer key of UploadPart or UploadPartCopy (the target's) against its upload: an
     * SSE-C upload needs its own key on every part, any other upload none.
     *
     * @throws S3Exception InvalidRequest for a missing, unneeded or different key
     */
    static void checkUploadKey(ObjectEncryption upload, CustomerKey given) {
        ObjectEncryption.checkUploadKey(upload, given == null ? null : given.md5());
    }

    /** A fresh initial counter, and {@code plaintext} encrypted under it (in place). */
    static ObjectEncryption seal(ObjectEncryption encryption, CustomerKey key, byte[] plaintext) {
        if (encryption == null || !encryption.isCustomerKey()) {
            return encryption;
        }
        byte[] iv = freshCounter();
        crypt(key, iv, 0, plaintext, 0, plaintext.length);
        return ObjectEncryption.customer(key.md5(), iv);
    }

    /**
     * A part of an SSE-C upload encrypted (in place) under a fresh initial counter of its own, and
     * the CRC64NVME of its plaintext taken first; null, and the bytes left as they are, for a part
     * of any other upload.
     */
    static PartEncryption sealPart(ObjectEncryption upload, CustomerKey key, byte[] plaintext) {
        if (upload == null || !upload.isCustomerKey()) {
            return null;
        }
        ChecksumDigest crc = ChecksumAlgorithm.CRC64NVME.newDigest();
        crc.update(plaintext, 0, plaintext.length);
        byte[] iv = freshCounter();
        crypt(key, iv, 0, plaintext, 0, plaintext.length);
        return new PartEncryption(iv, Checksums.base64(crc.digest()));
    }

    private static byte[] freshCounter() {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return iv;
    }

    /**
     * Decrypts (in place) the bytes of a stored version that start at {@code offset}: each run of
     * them with the segment it lies in, from the counter of its place in that segment.
     */
    static byte[] open(ObjectEncryption stored, CustomerKey key, long offset, byte[] bytes) {
        if (stored == null || !stored.isCustomerKey() || bytes.length == 0) {
            return bytes;
        }
        List<ObjectEncryption.Segment> segments = stored.segments();
        long end = offset + bytes.length;
        for (int i = 0; i < segments.size(); i++) {
            long start = segments.get(i).offset();
            long stop = i + 1 < segments.size() ? segments.get(i + 1).offset() : Long.MAX_VALUE;
            long from = Math.max(start, offset);
            long to = Math.min(stop, end);
            if (from < to) {
                crypt(key, segments.get(i).iv(), from - start, bytes, (int) (from - offset), (int) (to - from));
            }
        }
        return bytes;
    }

    /** AES-256-CTR over {@code length} bytes from {@code from}, which lie {@code offset} bytes into a stream begun at {@code iv}. */
    private static void crypt(CustomerKey key, byte[] iv, long offset, byte[] bytes, int from, int length) {
        BigInteger counter = new BigInteger(1, iv).add(BigInteger.valueOf(offset / 16))
                .mod(BigInteger.ONE.shiftLeft(128));
        byte[] start = new byte[16];
        byte[] raw = counter.toByteArray();
        int size = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - size, start, 16 - size, size);
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.key(), "AES"), new IvParameterSpec(start));
            int skip = (int) (offset % 16);
            if (skip > 0) {
                cipher.update(new byte[skip]);
            }
            int done = cipher.update(bytes, from, length, bytes, from);
            if (done != length) {
                cipher.doFinal(bytes, from + done);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR/NoPadding is required of every JVM", e);
        }
    }

    /** The headers S3 answers an object's encryption with; null is plain SSE-S3. */
    static void writeHeaders(S3Response response, ObjectEncryption encryption, boolean withContext) {
        if (encryption == null) {
            response.header(ALGORITHM, "AES256");
            return;
        }
        if (encryption.isCustomerKey()) {
            response.header(CUSTOMER + "algorithm", encryption.customerAlgorithm())
                    .header(CUSTOMER + "key-MD5", encryption.customerKeyMd5());
            return;
        }
        response.header(ALGORITHM, encryption.serverSideEncryption())
                .header(KMS_KEY_ID, encryption.kmsKeyId());
        if (encryption.bucketKeyEnabled()) {
            response.header(BUCKET_KEY, "true");
        }
        if (withContext) {
            response.header(CONTEXT, encryption.kmsContext());
        }
    }

    /**
     * The headers CompleteMultipartUpload answers with: S3's documents name only
     * {@code x-amz-server-side-encryption}, {@code -aws-kms-key-id} and {@code -bucket-key-enabled}
     * there, so an SSE-C object is answered with none.
     */
    static void writeCompletionHeaders(S3Response response, ObjectEncryption encryption) {
        if (encryption == null || !encryption.isCustomerKey()) {
            writeHeaders(response, encryption, false);
        }
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}

package io.github.s3ite.server.storage;

import io.github.s3ite.server.checksum.ChecksumAlgorithm;
import io.github.s3ite.server.checksum.ChecksumDigest;
import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.checksum.Checksums;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * CompleteMultipartUpload without SQL: which parts a client may name, and how they join into one
 * object with its MD5, multipart ETag ({@code <md5 of the parts' md5s>-N}), checksum and part
 * boundaries. {@link UploadTables} looks the parts up and reads their bytes; this class decides.
 *
 * <p>The parts of an SSE-C upload are ciphertext, each under its own initial counter, and there is
 * no key here: they are joined as they are, each becoming a segment of the object's encryption, and
 * every checksum is made from the parts' checksums of their plaintext, never from these bytes.
 */
final class MultipartAssembly {
    /** Every part but the last must be at least this large. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /**
     * The object a complete request makes: its bytes, MD5, multipart ETag, checksum, part boundaries
     * and, for an SSE-C upload, the segments its ciphertext is made of (else none).
     */
    record Assembled(byte[] value, String md5, String etag, StoredChecksum checksum, List<ObjectPart> parts,
                     List<ObjectEncryption.Segment> segments, FullObjectChecksums fullObject) {

        /**
         * The full-object checksum of the object with {@code algorithm}, raw; null when it cannot be
         * had: a SHA, or for an SSE-C object an algorithm its parts have no checksum of.
         */
        byte[] fullObjectChecksum(ChecksumAlgorithm algorithm) {
            return fullObject.of(algorithm, value);
        }
    }

    /** The part checksums an object's full-object checksums can be combined from, with the parts' sizes. */
    record FullObjectChecksums(ChecksumAlgorithm algorithm, List<byte[]> partChecksums, List<byte[]> plaintextCrc64nvme,
                               List<Long> sizes, boolean encrypted) {

        byte[] of(ChecksumAlgorithm wanted, byte[] value) {
            if (!wanted.supportsFullObject()) {
                return null;
            }
            if (wanted == algorithm) {
                return Checksums.fullObject(wanted, partChecksums, sizes);
            }
            if (encrypted) {
                return wanted == ChecksumAlgorithm.CRC64NVME ? Checksums.fullObject(wanted, plaintextCrc64nvme, sizes) : null;
            }
            return digest(wanted, value);
        }
    }

    private final UploadInfo upload;
    private final ChecksumAlgorithm algorithm;
    private final boolean encrypted;
    private final int partCount;
    private final byte[] value;
    private final MessageDigest etagDigest = Digests.newMd5();
    private final List<byte[]> partChecksums = new ArrayList<>();
    private final List<byte[]> plaintextCrc64nvme = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private final List<ObjectPart> boundaries = new ArrayList<>();
    private final List<ObjectEncryption.Segment> segments = new ArrayList<>();
    private int offset;

    private MultipartAssembly(UploadInfo upload, List<PartInfo> parts, long size, boolean encrypted) {
        this.upload = upload;
        this.algorithm = ChecksumAlgorithm.fromName(upload.checksumAlgorithm());
        this.encrypted = encrypted;
        this.partCount = parts.size();
        this.value = new byte[(int) size];
    }

    /**
     * Checks the parts a client named against those stored, and starts an object of their size.
     *
     * @param stored    the stored parts by number (those of {@code requested} that exist)
     * @param encrypted whether the upload is SSE-C: its parts are added with their {@link PartEncryption}
     * @throws S3Exception InvalidPartOrder, InvalidPart, EntityTooSmall, EntityTooLarge
     */
    static MultipartAssembly start(UploadInfo upload, List<CompletedPart> requested, Map<Integer, PartInfo> stored,
                                   boolean encrypted) {
        int previous = 0;
        for (CompletedPart part : requested) {
            if (part.partNumber() <= previous) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_ORDER).with("UploadId", upload.uploadId());
            }
            previous = part.partNumber();
        }
        List<PartInfo> parts = new ArrayList<>(requested.size());
        long total = 0;
        for (CompletedPart wanted : requested) {
            PartInfo part = stored.get(wanted.partNumber());
            if (part == null || !part.etag().equalsIgnoreCase(wanted.etag())
                    || wanted.checksum() != null && part.checksum() != null
                    && !wanted.checksum().equals(part.checksum().value())) {
                throw new S3Exception(S3ErrorCode.INVALID_PART)
                        .with("UploadId", upload.uploadId())
                        .with("PartNumber", Integer.toString(wanted.partNumber()))
                        .with("ETag", wanted.etag());
            }
            parts.add(part);
            total += part.size();
        }
        for (int i = 0; i < parts.size() - 1; i++) {
            if (parts.get(i).size() < MIN_PART_SIZE) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL)
                        .with("ProposedSize", Long.toString(parts.get(i).size()))
                        .with("MinSizeAllowed", Long.toString(MIN_PART_SIZE))
                        .with("PartNumber", Integer.toString(parts.get(i).partNumber()));
            }
        }
        if (total > BucketFile.MAX_OBJECT_SIZE) {
            throw UploadTables.entityTooLarge(total);
        }
        return new MultipartAssembly(upload, parts, total, encrypted);
    }

    /** {@link #start(UploadInfo, List, Map, boolean)} of an upload that is not SSE-C. */
    static MultipartAssembly start(UploadInfo upload, List<CompletedPart> requested, Map<Integer, PartInfo> stored) {
        return start(upload, requested, stored, false);
    }

    /** {@link #add(PartInfo, byte[], PartEncryption)} of a part that is not encrypted. */
    void add(PartInfo part, byte[] bytes) {
        add(part, bytes, null);
    }

    /**
     * Appends the next part, in the order {@link #start} checked.
     *
     * @param encryption how the part was encrypted (an SSE-C upload), else null
     * @throws S3Exception InvalidPart for a part of an SSE-C upload that was not stored encrypted, or
     *                     without the checksum of its plaintext its upload's algorithm needs
     */
    void add(PartInfo part, byte[] bytes, PartEncryption encryption) {
        if (encrypted) {
            if (encryption == null || algorithm != null && part.checksum() == null) {
                throw new S3Exception(S3ErrorCode.INVALID_PART)
                        .with("UploadId", upload.uploadId())
                        .with("PartNumber", Integer.toString(part.partNumber()))
                        .with("ETag", part.etag());
            }
            // an empty part (only the last may be) has no bytes to decrypt: no segment of its own
            if (bytes.length > 0 || segments.isEmpty()) {
                segments.add(new ObjectEncryption.Segment(offset, encryption.iv()));
            }
            plaintextCrc64nvme.add(Checksums.fromBase64(encryption.plaintextCrc64nvme(), ChecksumAlgorithm.CRC64NVME));
        }
        sizes.add((long) bytes.length);
        System.arraycopy(bytes, 0, value, offset, bytes.length);
        etagDigest.update(HexFormat.of().parseHex(part.etag()));
        StoredChecksum partChecksum = null;
        if (algorithm != null) {
            byte[] checksum = part.checksum() != null
                    ? Checksums.fromBase64(part.checksum().value(), algorithm) : digest(algorithm, bytes);
            partChecksums.add(checksum);
            partChecksum = new StoredChecksum(algorithm.name(), Checksums.base64(checksum), upload.checksumType());
        }
        boundaries.add(new ObjectPart(part.partNumber(), offset, bytes.length, part.etag(), partChecksum));
        offset += bytes.length;
    }

    /**
     * The object, once every part was added: a composite checksum where the upload asked for one,
     * else a full-object one (CRC64NVME when the upload named no algorithm), combined from the parts'
     * checksums where they have them.
     */
    Assembled finish() {
        String md5 = HexFormat.of().formatHex(Digests.md5(value));
        String etag = HexFormat.of().formatHex(etagDigest.digest()) + "-" + partCount;
        FullObjectChecksums fullObject = new FullObjectChecksums(algorithm, List.copyOf(partChecksums),
                List.copyOf(plaintextCrc64nvme), List.copyOf(sizes), encrypted);
        StoredChecksum checksum;
        if (algorithm != null && upload.checksumType() == ChecksumType.COMPOSITE) {
            checksum = new StoredChecksum(algorithm.name(), Checksums.composite(algorithm, partChecksums),
                    ChecksumType.COMPOSITE);
        } else {
            ChecksumAlgorithm whole = algorithm != null ? algorithm : ChecksumAlgorithm.CRC64NVME;
            byte[] raw = fullObject.of(whole, value);
            checksum = raw == null ? null : new StoredChecksum(whole.name(), Checksums.base64(raw), ChecksumType.FULL_OBJECT);
        }
        return new Assembled(value, md5, etag, checksum, List.copyOf(boundaries), List.copyOf(segments), fullObject);
    }

    static byte[] digest(ChecksumAlgorithm algorithm, byte[] bytes) {
        ChecksumDigest digest = algorithm.newDigest();
        digest.update(bytes, 0, bytes.length);
        return digest.digest();
    }
}

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
 */
final class MultipartAssembly {
    /** Every part but the last must be at least this large. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /** The object a complete request makes: its bytes, MD5, multipart ETag, checksum and part boundaries. */
    record Assembled(byte[] value, String md5, String etag, StoredChecksum checksum, List<ObjectPart> parts) {
    }

    private final UploadInfo upload;
    private final ChecksumAlgorithm algorithm;
    private final int partCount;
    private final byte[] value;
    private final MessageDigest etagDigest = Digests.newMd5();
    private final List<byte[]> partChecksums = new ArrayList<>();
    private final List<ObjectPart> boundaries = new ArrayList<>();
    private int offset;

    private MultipartAssembly(UploadInfo upload, List<PartInfo> parts, long size) {
        this.upload = upload;
        this.algorithm = ChecksumAlgorithm.fromName(upload.checksumAlgorithm());
        this.partCount = parts.size();
        this.value = new byte[(int) size];
    }

    /**
     * Checks the parts a client named against those stored, and starts an object of their size.
     *
     * @param stored the stored parts by number (those of {@code requested} that exist)
     * @throws S3Exception InvalidPartOrder, InvalidPart, EntityTooSmall, EntityTooLarge
     */
    static MultipartAssembly start(UploadInfo upload, List<CompletedPart> requested, Map<Integer, PartInfo> stored) {
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
        return new MultipartAssembly(upload, parts, total);
    }

    /** Appends the next part, in the order {@link #start} checked. */
    void add(PartInfo part, byte[] bytes) {
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

    /** The object, once every part was added: a composite checksum where the upload asked for one, else a full-object one. */
    Assembled finish() {
        String md5 = HexFormat.of().formatHex(Digests.md5(value));
        String etag = HexFormat.of().formatHex(etagDigest.digest()) + "-" + partCount;
        StoredChecksum checksum;
        if (algorithm != null && upload.checksumType() == ChecksumType.COMPOSITE) {
            checksum = new StoredChecksum(algorithm.name(), Checksums.composite(algorithm, partChecksums),
                    ChecksumType.COMPOSITE);
        } else {
            ChecksumAlgorithm whole = algorithm != null ? algorithm : ChecksumAlgorithm.CRC64NVME;
            checksum = new StoredChecksum(whole.name(), Checksums.base64(digest(whole, value)), ChecksumType.FULL_OBJECT);
        }
        return new Assembled(value, md5, etag, checksum, List.copyOf(boundaries));
    }

    static byte[] digest(ChecksumAlgorithm algorithm, byte[] bytes) {
        ChecksumDigest digest = algorithm.newDigest();
        digest.update(bytes, 0, bytes.length);
        return digest.digest();
    }
}

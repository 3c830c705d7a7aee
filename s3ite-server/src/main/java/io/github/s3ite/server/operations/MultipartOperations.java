package io.github.s3ite.server.operations;

import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.checksum.ChecksumAlgorithm;
import io.github.s3ite.server.checksum.ChecksumDigest;
import io.github.s3ite.server.checksum.Checksums;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.ByteRange;
import io.github.s3ite.server.storage.CompletedPart;
import io.github.s3ite.server.storage.ObjectContent;
import io.github.s3ite.server.storage.ObjectEncryption;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.PartEncryption;
import io.github.s3ite.server.storage.PartInfo;
import io.github.s3ite.server.storage.PartsPage;
import io.github.s3ite.server.storage.StoredChecksum;
import io.github.s3ite.server.storage.UploadInfo;
import io.github.s3ite.server.storage.WriteCondition;
import io.github.s3ite.server.storage.UploadsPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts and ListMultipartUploads.
 */
final class MultipartOperations {
    private static final int MAX_PARTS = 1000;
    private static final int MAX_UPLOADS = 1000;
    private static final int MAX_PART_NUMBER = 10000;

    private final BucketStore store;
    private final Owner owner;
    private final LifecycleOperations lifecycle;

    private final AccessOperations access;

    MultipartOperations(BucketStore store, Owner owner, AccessOperations access, LifecycleOperations lifecycle) {
        this.store = store;
        this.owner = owner;
        this.access = access;
        this.lifecycle = lifecycle;
    }

    S3Response createMultipartUpload(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        ObjectRequests.checkKey(request.key());
        String algorithmName = request.header("x-amz-checksum-algorithm");
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromName(algorithmName);
        if (algorithmName != null && algorithm == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported.");
        }
        ChecksumType type = checksumType(request.header("x-amz-checksum-type"), algorithm);
        ObjectEncryption encryption = ServerSideEncryption.forWrite(request, bucket,
                ServerSideEncryption.customerKey(request, false));
        UploadInfo upload = bucket.createMultipartUpload(request.key(), ObjectRequests.userMetadata(request),
                ObjectRequests.objectHeaders(request), ObjectRequests.tagsFromHeader(request.header("x-amz-tagging")),
                algorithm == null ? null : algorithm.name(), type, request.accessKey(),
                ObjectLockOperations.fromHeaders(request), encryption, access.newObjectAcl(request, bucket));
        XmlWriter xml = XmlWriter.document("InitiateMultipartUploadResult")
                .element("Bucket", request.bucket())
                .element("Key", request.key())
                .element("UploadId", upload.uploadId());
        S3Response response = S3Response.xml(xml);
        ServerSideEncryption.writeHeaders(response, encryption, true);
        lifecycle.writeAbort(response, bucket, upload);
        return response
                .header("x-amz-checksum-algorithm", upload.checksumAlgorithm())
                .header("x-amz-checksum-type", upload.checksumType() == null ? null : upload.checksumType().name());
    }

    /** CRC64NVME is full-object only; SHA checksums composite only; CRC32/CRC32C default to composite. */
    private static ChecksumType checksumType(String requested, ChecksumAlgorithm algorithm) {
        if (requested == null) {
            if (algorithm == null) {
                return null;
            }
            return algorithm.supportsComposite() ? ChecksumType.COMPOSITE : ChecksumType.FULL_OBJECT;
        }
        String type = requested.trim().toUpperCase(Locale.ROOT);
        if (algorithm == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
        }
        ChecksumType named = ChecksumType.fromName(type);
        boolean supported = named == ChecksumType.COMPOSITE && algorithm.supportsComposite()
                || named == ChecksumType.FULL_OBJECT && algorithm.supportsFullObject();
        if (!supported) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The " + algorithm.name()
                    + " checksum algorithm does not support the " + type + " checksum type.");
        }
        return named;
    }

    S3Response uploadPart(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        int partNumber = partNumber(request);
        String uploadId = request.query("uploadId");
        UploadInfo upload = bucket.getUpload(uploadId, request.key());
        ChecksumAlgorithm uploadAlgorithm = ChecksumAlgorithm.fromName(upload.checksumAlgorithm());
        ChecksumAlgorithm named = PayloadReader.namedAlgorithm(request);
        if (uploadAlgorithm != null && named != null && named != uploadAlgorithm) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum Type mismatch occurred, expected checksum Type: "
                    + uploadAlgorithm.name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                    + named.name().toLowerCase(Locale.ROOT));
        }
        ServerSideEncryption.CustomerKey customerKey = ServerSideEncryption.customerKey(request, false);
        ObjectEncryption encryption = bucket.uploadEncryption(uploadId, request.key());
        ServerSideEncryption.checkUploadKey(encryption, customerKey);
        Payload payload = PayloadReader.read(request, uploadAlgorithm);
        byte[] bytes = payload.bytes();
        PartEncryption partEncryption = ServerSideEncryption.sealPart(encryption, customerKey, bytes);
        PartInfo part = bucket.uploadPart(uploadId, request.key(), partNumber, bytes, payload.checksum(), partEncryption);
        S3Response response = S3Response.ok().header("ETag", ObjectRequests.quote(part.etag()));
        ServerSideEncryption.writeHeaders(response, encryption, false);
        if (named != null || uploadAlgorithm != null) {
            ObjectOperations.writeChecksum(response, part.checksum());
        }
        return response;
    }

    S3Response uploadPartCopy(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        int partNumber = partNumber(request);
        String uploadId = request.query("uploadId");
        UploadInfo upload = bucket.getUpload(uploadId, request.key());
        ServerSideEncryption.CustomerKey customerKey = ServerSideEncryption.customerKey(request, false);
        ObjectEncryption encryption = bucket.uploadEncryption(uploadId, request.key());
        ServerSideEncryption.checkUploadKey(encryption, customerKey);
        CopySource source = CopySource.parse(request.header("x-amz-copy-source"));
        String rangeHeader = request.header("x-amz-copy-source-range");
        ByteRange range = ByteRanges.parseCopyRange(rangeHeader);
        BucketFile sourceBucket = store.bucket(source.bucket());
        ObjectContent content = ObjectOperations.readCopySource(request, sourceBucket, source,
                range != null ? range : ByteRange.WHOLE);
        byte[] bytes = content.bytes();
        StoredChecksum checksum = null;
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromName(upload.checksumAlgorithm());
        if (algorithm != null) {
            ChecksumDigest digest = algorithm.newDigest();
            digest.update(bytes, 0, bytes.length);
            checksum = new StoredChecksum(algorithm.name(), Checksums.base64(digest.digest()), ChecksumType.FULL_OBJECT);
        }
        PartEncryption partEncryption = ServerSideEncryption.sealPart(encryption, customerKey, bytes);
        PartInfo part = bucket.uploadPart(uploadId, request.key(), partNumber, bytes, checksum, partEncryption);
        XmlWriter xml = XmlWriter.document("CopyPartResult")
                .element("ETag", ObjectRequests.quote(part.etag()))
                .element("LastModified", part.lastModified());
        if (checksum != null) {
            xml.element("Checksum" + checksum.algorithm(), checksum.value());
        }
        S3Response response = S3Response.xml(xml);
        ObjectOperations.writeCopySourceVersionId(response, sourceBucket, content.info());
        ServerSideEncryption.writeHeaders(response, encryption, false);
        return response;
    }

    private static int partNumber(S3Request request) {
        if (request.query("uploadId") == null || request.query("partNumber") == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "UploadPart needs both partNumber and uploadId.");
        }
        String value = request.query("partNumber");
        try {
            int number = Integer.parseInt(value);
            if (number >= 1 && number <= MAX_PART_NUMBER) {
                return number;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive")
                .with("ArgumentName", "partNumber").with("ArgumentValue", value);
    }

    S3Response completeMultipartUpload(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        String uploadId = request.query("uploadId");
        WriteCondition condition = Preconditions.forWrite(request);
        StoredChecksum wholeChecksum = wholeObjectChecksum(request);
        // optional here (the parts are stored encrypted, and joined as they are), but checked when sent
        ServerSideEncryption.CustomerKey customerKey = ServerSideEncryption.customerKey(request, false);
        RequestDocuments.CompleteMultipartUpload document = RequestDocuments.parse(
                request.readSmallBody(4 * 1024 * 1024), RequestDocuments.CompleteMultipartUpload.class);
        if (document.parts.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        List<CompletedPart> parts = new ArrayList<>(document.parts.size());
        for (RequestDocuments.Part part : document.parts) {
            if (part.partNumber == null || part.etag == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            parts.add(new CompletedPart(part.partNumber, ObjectRequests.unquote(part.etag), part.checksum()));
        }
        // checked, and the memory to assemble it reserved, before the bucket's writer is taken
        request.memory().reserve(bucket.completionMemory(uploadId, request.key(), parts));
        ObjectInfo stored = bucket.completeMultipartUpload(uploadId, request.key(), parts, condition, wholeChecksum,
                customerKey == null ? null : customerKey.md5());
        XmlWriter xml = XmlWriter.document("CompleteMultipartUploadResult")
                .element("Location", "/" + request.bucket() + "/" + request.key())
                .element("Bucket", request.bucket())
                .element("Key", request.key())
                .element("ETag", ObjectRequests.quote(stored.etag()));
        if (stored.checksum() != null) {
            xml.element("Checksum" + stored.checksum().algorithm(), stored.checksum().value())
                    .element("ChecksumType", stored.checksum().type().name());
        }
        S3Response response = S3Response.xml(xml);
        Versions.writeVersionId(response, bucket, stored.versionId());
        lifecycle.writeExpiration(response, bucket, stored);
        ServerSideEncryption.writeCompletionHeaders(response, stored.encryption());
        return response;
    }

    /**
     * The checksum of the whole object a complete request may carry ({@code x-amz-checksum-crc32}
     * and the like): full-object, or composite ({@code ...-N}), as {@code x-amz-checksum-type} says or
     * else its form does. Null when there is none.
     */
    private static StoredChecksum wholeObjectChecksum(S3Request request) {
        ChecksumAlgorithm algorithm = null;
        String value = null;
        for (ChecksumAlgorithm candidate : ChecksumAlgorithm.values()) {
            String header = request.header(candidate.headerName());
            if (header != null) {
                if (algorithm != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                }
                algorithm = candidate;
                value = header.trim();
            }
        }
        if (algorithm == null) {
            return null;
        }
        String typeHeader = request.header("x-amz-checksum-type");
        ChecksumType type = typeHeader != null ? ChecksumType.fromName(typeHeader)
                : value.matches(".*-[0-9]+") ? ChecksumType.COMPOSITE : ChecksumType.FULL_OBJECT;
        if (type == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.");
        }
        return new StoredChecksum(algorithm.name(), value, type);
    }

    S3Response abortMultipartUpload(S3Request request) {
        store.bucket(request.bucket()).abortMultipartUpload(request.query("uploadId"), request.key());
        return S3Response.noContent();
    }

    S3Response listParts(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        int maxParts = ObjectRequests.intParameter(request, "max-parts", MAX_PARTS, 0, MAX_PARTS);
        int marker = ObjectRequests.intParameter(request, "part-number-marker", 0, 0, Integer.MAX_VALUE);
        PartsPage page = bucket.listParts(request.query("uploadId"), request.key(), marker, maxParts);
        UploadInfo upload = page.upload();
        XmlWriter xml = XmlWriter.document("ListPartsResult")
                .element("Bucket", request.bucket())
                .element("Key", request.key())
                .element("UploadId", upload.uploadId());
        writeInitiator(xml, upload);
        xml.element("StorageClass", "STANDARD")
                .element("PartNumberMarker", marker)
                .element("NextPartNumberMarker", page.nextPartNumberMarker())
                .element("MaxParts", maxParts)
                .element("IsTruncated", page.truncated())
                .element("ChecksumAlgorithm", upload.checksumAlgorithm())
                .element("ChecksumType", upload.checksumType() == null ? null : upload.checksumType().name());
        for (PartInfo part : page.parts()) {
            xml.start("Part")
                    .element("PartNumber", part.partNumber())
                    .element("LastModified", part.lastModified())
                    .element("ETag", ObjectRequests.quote(part.etag()))
                    .element("Size", part.size());
            if (part.checksum() != null) {
                xml.element("Checksum" + part.checksum().algorithm(), part.checksum().value());
            }
            xml.end();
        }
        S3Response response = S3Response.xml(xml);
        lifecycle.writeAbort(response, bucket, upload);
        return response;
    }

    S3Response listMultipartUploads(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        int maxUploads = ObjectRequests.intParameter(request, "max-uploads", MAX_UPLOADS, 0, MAX_UPLOADS);
        String prefix = emptyToNull(request.query("prefix"));
        String delimiter = emptyToNull(request.query("delimiter"));
        String keyMarker = emptyToNull(request.query("key-marker"));
        String uploadIdMarker = emptyToNull(request.query("upload-id-marker"));
        UploadsPage page = bucket.listMultipartUploads(prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
        XmlWriter xml = XmlWriter.document("ListMultipartUploadsResult")
                .element("Bucket", request.bucket())
                .element("KeyMarker", keyMarker == null ? "" : keyMarker)
                .element("UploadIdMarker", uploadIdMarker == null ? "" : uploadIdMarker)
                .element("NextKeyMarker", page.nextKeyMarker())
                .element("NextUploadIdMarker", page.nextUploadIdMarker())
                .element("Prefix", prefix == null ? "" : prefix)
                .element("Delimiter", delimiter)
                .element("MaxUploads", maxUploads)
                .element("IsTruncated", page.truncated());
        for (UploadInfo upload : page.uploads()) {
            xml.start("Upload")
                    .element("Key", upload.key())
                    .element("UploadId", upload.uploadId());
            writeInitiator(xml, upload);
            xml.element("StorageClass", "STANDARD")
                    .element("Initiated", upload.initiated())
                    .element("ChecksumAlgorithm", upload.checksumAlgorithm())
                    .element("ChecksumType", upload.checksumType() == null ? null : upload.checksumType().name())
                    .end();
        }
        for (String commonPrefix : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", commonPrefix).end();
        }
        return S3Response.xml(xml);
    }

    private void writeInitiator(XmlWriter xml, UploadInfo upload) {
        String initiator = upload.accessKey() != null ? upload.accessKey() : owner.displayName();
        xml.start("Initiator").element("ID", initiator).element("DisplayName", initiator).end();
        owner.write(xml, "Owner");
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}

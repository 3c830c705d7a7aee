package io.github.s3ite.server.operations;

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
import io.github.s3ite.server.storage.ByteSlice;
import io.github.s3ite.server.storage.NewObject;
import io.github.s3ite.server.storage.ObjectContent;
import io.github.s3ite.server.storage.ObjectHeaders;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.ObjectPart;
import io.github.s3ite.server.storage.ObjectPartContent;
import io.github.s3ite.server.storage.StoredChecksum;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** PutObject, GetObject, HeadObject, DeleteObject, DeleteObjects and CopyObject. */
final class ObjectOperations {
    /** S3 gives objects stored without a Content-Type this one. */
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final int MAX_DELETE_KEYS = 1000;

    private final BucketStore store;

    ObjectOperations(BucketStore store) {
        this.store = store;
    }

    S3Response putObject(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        ObjectRequests.checkKey(request.key());
        var precondition = Preconditions.forWrite(request);
        Map<String, String> metadata = ObjectRequests.userMetadata(request);
        Map<String, String> tags = ObjectRequests.tagsFromHeader(request.header("x-amz-tagging"));
        ObjectHeaders headers = ObjectRequests.objectHeaders(request);
        boolean clientChecksum = PayloadReader.namedAlgorithm(request) != null;
        Payload payload = PayloadReader.read(request, ChecksumAlgorithm.CRC64NVME);
        ObjectInfo stored = bucket.putObject(
                new NewObject(request.key(), payload.bytes(), metadata, headers, payload.checksum(), tags), precondition);
        S3Response response = S3Response.ok().header("ETag", ObjectRequests.quote(stored.etag()));
        if (clientChecksum) {
            writeChecksum(response, stored.checksum());
        }
        return response;
    }

    S3Response getObject(S3Request request, boolean head) {
        BucketFile bucket = store.bucket(request.bucket());
        String partNumber = request.query("partNumber");
        String rangeHeader = partNumber == null ? request.header("range") : null;
        if (partNumber != null && request.header("range") != null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Cannot specify both Range header and partNumber query parameter");
        }
        if (partNumber != null) {
            return getObjectPart(request, bucket, parsePartNumber(partNumber), head);
        }
        ByteSlice[] range = new ByteSlice[1];
        boolean[] notModified = new boolean[1];
        ObjectContent content = bucket.getObject(request.key(), info -> {
            if (Preconditions.checkRead(request, info)) {
                notModified[0] = true;
                return ByteSlice.NONE;
            }
            range[0] = ByteRanges.parse(rangeHeader, info.size());
            if (head) {
                return ByteSlice.NONE;
            }
            ByteSlice slice = range[0] != null ? range[0] : ByteSlice.whole(info.size());
            request.memory().reserve(slice.length());
            return slice;
        });
        ObjectInfo info = content.info();
        if (notModified[0]) {
            return S3Response.status(304)
                    .header("ETag", ObjectRequests.quote(info.etag()))
                    .header("Last-Modified", HttpDates.format(info.lastModified()));
        }
        S3Response response = S3Response.status(range[0] != null ? 206 : 200);
        writeObjectHeaders(response, request, info);
        if (range[0] != null) {
            ByteSlice slice = range[0];
            response.header("Content-Range", "bytes " + slice.offset() + "-" + (slice.offset() + slice.length() - 1)
                    + "/" + info.size());
        } else if ("ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
            writeChecksum(response, info.checksum());
        }
        long length = range[0] != null ? range[0].length() : info.size();
        if (head) {
            return response.contentLength(length);
        }
        return response.body(content.bytes());
    }

    /**
     * GetObject / HeadObject with {@code partNumber}: 206 with the part's bytes and Content-Range, and
     * {@code x-amz-mp-parts-count} for an object completed from parts. An object that was not (a
     * single PUT, a copy, or written by the original) is one part, as in S3: part 1 is all of it.
     */
    private S3Response getObjectPart(S3Request request, BucketFile bucket, int partNumber, boolean head) {
        boolean[] notModified = new boolean[1];
        ObjectPartContent content = bucket.getObjectPart(request.key(), partNumber, located -> {
            if (Preconditions.checkRead(request, located.info())) {
                notModified[0] = true;
                return false;
            }
            if (located.part() == null) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_NUMBER);
            }
            if (head) {
                return false;
            }
            request.memory().reserve(located.part().size());
            return true;
        });
        ObjectInfo info = content.info();
        if (notModified[0]) {
            return S3Response.status(304)
                    .header("ETag", ObjectRequests.quote(info.etag()))
                    .header("Last-Modified", HttpDates.format(info.lastModified()));
        }
        ObjectPart part = content.part();
        S3Response response = S3Response.status(206);
        writeObjectHeaders(response, request, info);
        response.header("Content-Range", part.size() == 0 ? "bytes */" + info.size()
                : "bytes " + part.offset() + "-" + (part.offset() + part.size() - 1) + "/" + info.size());
        if (content.partsCount() > 0) {
            response.header("x-amz-mp-parts-count", Integer.toString(content.partsCount()));
        }
        if ("ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
            StoredChecksum checksum = content.partsCount() > 0 ? part.checksum() : info.checksum();
            if (checksum != null && ChecksumAlgorithm.fromName(checksum.algorithm()) != null) {
                response.header(ChecksumAlgorithm.fromName(checksum.algorithm()).headerName(), checksum.value());
            }
        }
        if (head) {
            return response.contentLength(part.size());
        }
        return response.body(content.bytes());
    }

    private static int parsePartNumber(String partNumber) {
        int number;
        try {
            number = Integer.parseInt(partNumber);
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive")
                    .with("ArgumentName", "partNumber").with("ArgumentValue", partNumber);
        }
        if (number < 1 || number > 10000) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive")
                    .with("ArgumentName", "partNumber").with("ArgumentValue", partNumber);
        }
        return number;
    }

    private static void writeObjectHeaders(S3Response response, S3Request request, ObjectInfo info) {
        ObjectHeaders headers = info.headers();
        response.header("ETag", ObjectRequests.quote(info.etag()))
                .header("Last-Modified", HttpDates.format(info.lastModified()))
                .header("Accept-Ranges", "bytes")
                .header("Content-Type", override(request, "response-content-type",
                        headers.contentType() != null ? headers.contentType() : DEFAULT_CONTENT_TYPE))
                .header("Content-Encoding", override(request, "response-content-encoding", headers.contentEncoding()))
                .header("Content-Disposition", override(request, "response-content-disposition", headers.contentDisposition()))
                .header("Content-Language", override(request, "response-content-language", headers.contentLanguage()))
                .header("Cache-Control", override(request, "response-cache-control", headers.cacheControl()))
                .header("Expires", override(request, "response-expires", headers.expires()));
        for (Map.Entry<String, String> entry : info.userMetadata().entrySet()) {
            response.header(ObjectRequests.META_PREFIX + entry.getKey(), entry.getValue());
        }
        if (!info.tags().isEmpty()) {
            response.header("x-amz-tagging-count", Integer.toString(info.tags().size()));
        }
    }

    private static String override(S3Request request, String parameter, String stored) {
        String value = request.query(parameter);
        return value != null ? value : stored;
    }

    static void writeChecksum(S3Response response, StoredChecksum checksum) {
        if (checksum == null) {
            return;
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromName(checksum.algorithm());
        if (algorithm != null) {
            response.header(algorithm.headerName(), checksum.value());
            response.header("x-amz-checksum-type", checksum.type());
        }
    }

    S3Response deleteObject(S3Request request) {
        store.bucket(request.bucket()).deleteObject(request.key(),
                Preconditions.forDelete(request.header("if-match"), request.key()));
        return S3Response.noContent();
    }

    S3Response deleteObjects(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        RequestDocuments.Delete delete = RequestDocuments.parse(request.readSmallBody(2 * 1024 * 1024),
                RequestDocuments.Delete.class);
        if (delete.objects.isEmpty() || delete.objects.size() > MAX_DELETE_KEYS) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        List<String> keys = new ArrayList<>(delete.objects.size());
        List<Consumer<ObjectInfo>> preconditions = new ArrayList<>(delete.objects.size());
        XmlWriter xml = XmlWriter.document("DeleteResult");
        List<String[]> errors = new ArrayList<>();
        for (RequestDocuments.ObjectIdentifier object : delete.objects) {
            if (object.key == null || object.key.isEmpty()) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            if (object.versionId != null && !object.versionId.equals("null")) {
                errors.add(new String[] {object.key, object.versionId});
            } else {
                keys.add(object.key);
                preconditions.add(Preconditions.forDelete(object.etag, object.key));
            }
        }
        List<S3Exception> outcomes = bucket.deleteObjects(keys, preconditions);
        boolean quiet = Boolean.TRUE.equals(delete.quiet);
        for (int i = 0; i < keys.size(); i++) {
            S3Exception refused = outcomes.get(i);
            if (refused != null) {
                xml.start("Error").element("Key", keys.get(i))
                        .element("Code", refused.error().code())
                        .element("Message", refused.getMessage() != null ? refused.getMessage()
                                : refused.error().defaultMessage()).end();
            } else if (!quiet) {
                xml.start("Deleted").element("Key", keys.get(i)).end();
            }
        }
        for (String[] error : errors) {
            xml.start("Error").element("Key", error[0]).element("VersionId", error[1])
                    .element("Code", S3ErrorCode.NO_SUCH_VERSION.code())
                    .element("Message", S3ErrorCode.NO_SUCH_VERSION.defaultMessage()).end();
        }
        return S3Response.xml(xml);
    }

    S3Response copyObject(S3Request request) {
        BucketFile target = store.bucket(request.bucket());
        ObjectRequests.checkKey(request.key());
        CopySource source = CopySource.parse(request.header("x-amz-copy-source"));
        BucketFile sourceBucket = store.bucket(source.bucket());
        ObjectContent content = sourceBucket.getObject(source.key(), info -> {
            Preconditions.checkCopySource(request, info);
            request.memory().reserve(info.size());
            return ByteSlice.whole(info.size());
        });
        ObjectInfo sourceInfo = content.info();
        boolean replaceMetadata = directive(request, "x-amz-metadata-directive");
        boolean replaceTags = directive(request, "x-amz-tagging-directive");
        ChecksumAlgorithm requested = ChecksumAlgorithm.fromName(request.header("x-amz-checksum-algorithm"));
        if (request.header("x-amz-checksum-algorithm") != null && requested == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported.");
        }
        boolean sameObject = source.bucket().equals(request.bucket()) && source.key().equals(request.key());
        if (sameObject && !replaceMetadata && !replaceTags && requested == null
                && request.header("x-amz-storage-class") == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "This copy request is illegal because it is trying to copy an object to itself without changing the"
                            + " object's metadata, storage class, website redirect location or encryption attributes.");
        }
        Map<String, String> metadata = replaceMetadata ? ObjectRequests.userMetadata(request) : sourceInfo.userMetadata();
        ObjectHeaders headers = replaceMetadata ? ObjectRequests.objectHeaders(request) : sourceInfo.headers();
        Map<String, String> tags = replaceTags
                ? ObjectRequests.tagsFromHeader(request.header("x-amz-tagging")) : sourceInfo.tags();
        StoredChecksum checksum = copyChecksum(sourceInfo.checksum(), requested, content.bytes());
        ObjectInfo stored = target.putObject(
                new NewObject(request.key(), content.bytes(), metadata, headers, checksum, tags),
                Preconditions.forWrite(request));
        XmlWriter xml = XmlWriter.document("CopyObjectResult")
                .element("ETag", ObjectRequests.quote(stored.etag()))
                .element("LastModified", stored.lastModified());
        if (stored.checksum() != null) {
            xml.element("ChecksumType", stored.checksum().type())
                    .element("Checksum" + stored.checksum().algorithm(), stored.checksum().value());
        }
        return S3Response.xml(xml);
    }

    /** A full-object checksum stays true of a copy; anything else is computed afresh. */
    private static StoredChecksum copyChecksum(StoredChecksum source, ChecksumAlgorithm requested, byte[] bytes) {
        if (source != null && "FULL_OBJECT".equals(source.type())
                && (requested == null || requested.name().equals(source.algorithm()))) {
            return source;
        }
        ChecksumAlgorithm algorithm = requested != null ? requested : ChecksumAlgorithm.CRC64NVME;
        ChecksumDigest digest = algorithm.newDigest();
        digest.update(bytes, 0, bytes.length);
        return new StoredChecksum(algorithm.name(), Checksums.base64(digest.digest()), "FULL_OBJECT");
    }

    private static boolean directive(S3Request request, String header) {
        String value = request.header(header);
        if (value == null || value.equalsIgnoreCase("COPY")) {
            return false;
        }
        if (value.equalsIgnoreCase("REPLACE")) {
            return true;
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown " + header.toLowerCase(Locale.ROOT) + " value")
                .with("ArgumentName", header).with("ArgumentValue", value);
    }
}

package io.github.s3ite.server.operations;

import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.checksum.ChecksumAlgorithm;
import io.github.s3ite.server.checksum.ChecksumDigest;
import io.github.s3ite.server.checksum.Checksums;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.PercentCoding;
import io.github.s3ite.server.http.PostForm;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.ByteRange;
import io.github.s3ite.server.storage.ByteSlice;
import io.github.s3ite.server.storage.DeleteResult;
import io.github.s3ite.server.storage.NewObject;
import io.github.s3ite.server.storage.ObjectContent;
import io.github.s3ite.server.storage.ObjectEncryption;
import io.github.s3ite.server.storage.ObjectHeaders;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.ObjectLock;
import io.github.s3ite.server.storage.ObjectPart;
import io.github.s3ite.server.storage.ObjectPartContent;
import io.github.s3ite.server.storage.ObjectRead;
import io.github.s3ite.server.storage.ReadResult;
import io.github.s3ite.server.storage.StoredChecksum;
import io.github.s3ite.server.storage.VersionIds;
import io.github.s3ite.server.storage.Versioning;
import io.github.s3ite.server.storage.WriteCondition;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** PutObject, PostObject (browser form uploads), GetObject, HeadObject, DeleteObject, DeleteObjects and CopyObject. */
final class ObjectOperations {
    /** S3 gives objects stored without a Content-Type this one. */
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final int MAX_DELETE_KEYS = 1000;

    private final BucketStore store;
    private final AccessOperations access;
    private final LifecycleOperations lifecycle;

    ObjectOperations(BucketStore store, AccessOperations access, LifecycleOperations lifecycle) {
        this.store = store;
        this.access = access;
        this.lifecycle = lifecycle;
    }

    S3Response putObject(S3Request request) {
        S3Response response = S3Response.ok();
        store(request, () -> ObjectRequests.tagsFromHeader(request.header("x-amz-tagging")), response);
        return response;
    }

    /**
     * A browser form upload: stored exactly as a PutObject of its fields would be, then answered as
     * the form asks: 303 to {@code success_action_redirect} (or {@code redirect}) with the bucket,
     * key and ETag in its query; else {@code success_action_status} 200, 201 with a
     * {@code PostResponse} document, or 204 (the default, and the answer to any other value).
     */
    S3Response postObject(S3Request request) {
        PostForm form = request.form();
        String redirect = redirectUrl(form.field("success_action_redirect") != null
                ? form.field("success_action_redirect") : form.field("redirect"));
        String status = form.field("success_action_status");
        S3Response response = S3Response.status(redirect != null ? 303
                : "200".equals(status) ? 200 : "201".equals(status) ? 201 : 204);
        String tagging = form.field("tagging");
        ObjectInfo stored = store(request, () -> tagging == null ? Map.of()
                : TaggingOperations.tags(tagging.getBytes(StandardCharsets.UTF_8)), response);
        String etag = ObjectRequests.quote(stored.etag());
        if (redirect != null) {
            return response.header("Location", redirect + (redirect.contains("?") ? "&" : "?")
                    + "bucket=" + PercentCoding.encodeComponent(request.bucket())
                    + "&key=" + PercentCoding.encodeComponent(request.key())
                    + "&etag=" + PercentCoding.encodeComponent(etag));
        }
        response.header("Location", form.location());
        if (response.status() == 201) {
            response.header("Content-Type", "application/xml").body(XmlWriter.plainDocument("PostResponse")
                    .element("Location", form.location())
                    .element("Bucket", request.bucket())
                    .element("Key", request.key())
                    .element("ETag", etag)
                    .toBytes());
        }
        return response;
    }

    /** The URL to send a browser to after an upload, or null when there is none S3 would follow. */
    private static String redirectUrl(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getHost() != null ? value : null;
        } catch (URISyntaxException e) {
            return null; // S3 acts as if the field were not there
        }
    }

    /**
     * Stores a new object as PutObject's headers describe it, and writes what its answer says of
     * the stored object (ETag, encryption, version id, checksum) into {@code response}.
     *
     * @param tags read after the headers that S3 checks first, so that errors come in S3's order
     */
    private ObjectInfo store(S3Request request, Supplier<Map<String, String>> tags, S3Response response) {
        BucketFile bucket = store.bucket(request.bucket());
        ObjectRequests.checkKey(request.key());
        var precondition = Preconditions.forWrite(request);
        Map<String, String> metadata = ObjectRequests.userMetadata(request);
        Map<String, String> tagSet = tags.get();
        ObjectHeaders headers = ObjectRequests.objectHeaders(request);
        boolean clientChecksum = PayloadReader.namedAlgorithm(request) != null;
        ObjectLock lock = ObjectLockOperations.fromHeaders(request);
        ServerSideEncryption.CustomerKey customerKey = ServerSideEncryption.customerKey(request, false);
        ObjectEncryption encryption = ServerSideEncryption.forWrite(request, bucket, customerKey);
        String acl = access.newObjectAcl(request, bucket);
        Payload payload = PayloadReader.read(request, ChecksumAlgorithm.CRC64NVME);
        byte[] value = payload.bytes();
        encryption = ServerSideEncryption.seal(encryption, customerKey, value);
        // the MD5 taken as the body was read is the stored value's, unless SSE-C encrypted it since
        byte[] storedMd5 = encryption != null && encryption.isCustomerKey() ? null : payload.md5();
        ObjectInfo stored = bucket.putObject(
                new NewObject(request.key(), value, metadata, headers, payload.checksum(), tagSet, encryption)
                        .withAcl(acl).withValueMd5(storedMd5),
                precondition, lock);
        response.header("ETag", ObjectRequests.quote(stored.etag()));
        ServerSideEncryption.writeHeaders(response, stored.encryption(), true);
        Versions.writeVersionId(response, bucket, stored.versionId());
        lifecycle.writeExpiration(response, bucket, stored);
        if (clientChecksum) {
            writeChecksum(response, stored.checksum());
        }
        return stored;
    }

    S3Response getObject(S3Request request, boolean head) {
        BucketFile bucket = store.bucket(request.bucket());
        String partNumber = request.query("partNumber");
        String rangeHeader = partNumber == null ? request.header("range") : null;
        if (partNumber != null && request.header("range") != null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Cannot specify both Range header and partNumber query parameter");
        }
        ByteRange range = partNumber != null ? new ByteRange.Part(parsePartNumber(partNumber))
                : ByteRanges.parse(rangeHeader);
        boolean partial = range != null;
        ObjectRead read = new ObjectRead(request.key(), Versions.versionId(request), Preconditions.forRead(request),
                partial ? range : ByteRange.WHOLE, !head, request.memory()::reserve);
        ServerSideEncryption.CustomerKey customerKey = ServerSideEncryption.customerKey(request, false);
        ReadResult result = bucket.getObject(read);
        ObjectInfo info = result.info();
        if (result instanceof ReadResult.DeleteMarker marker) {
            throw Versions.deleteMarker(info, marker.byVersionId(), head ? "HEAD" : "GET");
        }
        ServerSideEncryption.checkRead(info.encryption(), customerKey);
        if (result instanceof ReadResult.NotModified) {
            S3Response notModified = S3Response.status(304)
                    .header("ETag", ObjectRequests.quote(info.etag()))
                    .header("Last-Modified", HttpDates.format(info.lastModified()));
            Versions.writeVersionId(notModified, bucket, info.versionId());
            return notModified;
        }
        if (result instanceof ObjectPartContent part) {
            return getObjectPart(request, bucket, part, head, customerKey);
        }
        ObjectContent content = (ObjectContent) result;
        ByteSlice slice = content.slice();
        S3Response response = S3Response.status(partial ? 206 : 200);
        writeObjectHeaders(response, request, info);
        Versions.writeVersionId(response, bucket, info.versionId());
        writeExpiration(response, request, bucket, info);
        if (bucket.objectLockConfiguration() != null) {
            ObjectLockOperations.writeHeaders(response, bucket.objectLock(request.key(), info.versionId()));
        }
        ServerSideEncryption.writeHeaders(response, info.encryption(), false);
        if (partial) {
            response.header("Content-Range", "bytes " + slice.offset() + "-" + (slice.offset() + slice.length() - 1)
                    + "/" + info.size());
        } else if ("ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
            writeChecksum(response, info.checksum());
        }
        if (head) {
            return response.contentLength(slice.length());
        }
        return response.body(ServerSideEncryption.open(info.encryption(), customerKey, slice.offset(), content.bytes()));
    }

    /**
     * GetObject / HeadObject with {@code partNumber}: 206 with the part's bytes and Content-Range, and
     * {@code x-amz-mp-parts-count} for an object completed from parts. An object that was not (a
     * single PUT, a copy, or written by the original) is one part, as in S3: part 1 is all of it.
     */
    private S3Response getObjectPart(S3Request request, BucketFile bucket, ObjectPartContent content, boolean head,
                                     ServerSideEncryption.CustomerKey customerKey) {
        ObjectInfo info = content.info();
        ObjectPart part = content.part();
        S3Response response = S3Response.status(206);
        writeObjectHeaders(response, request, info);
        Versions.writeVersionId(response, bucket, info.versionId());
        writeExpiration(response, request, bucket, info);
        if (bucket.objectLockConfiguration() != null) {
            ObjectLockOperations.writeHeaders(response, bucket.objectLock(request.key(), info.versionId()));
        }
        ServerSideEncryption.writeHeaders(response, info.encryption(), false);
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
        return response.body(ServerSideEncryption.open(info.encryption(), customerKey, part.offset(), content.bytes()));
    }

    /** S3 tells when the current version expires; a read naming a version by id gets no date. */
    private void writeExpiration(S3Response response, S3Request request, BucketFile bucket, ObjectInfo info) {
        if (request.query("versionId") == null) {
            lifecycle.writeExpiration(response, bucket, info);
        }
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
            response.header("x-amz-checksum-type", checksum.type().name());
        }
    }

    S3Response deleteObject(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        DeleteResult deleted = bucket.deleteObject(request.key(), Versions.versionId(request),
                ObjectLockOperations.bypassGovernance(request), Preconditions.forDelete(request.header("if-match")));
        S3Response response = S3Response.noContent().header("x-amz-version-id", deleted.versionId());
        if (deleted.deleteMarker()) {
            response.header("x-amz-delete-marker", "true");
        }
        return response;
    }

    S3Response deleteObjects(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        RequestDocuments.Delete delete = RequestDocuments.parse(request.readSmallBody(2 * 1024 * 1024),
                RequestDocuments.Delete.class);
        if (delete.objects.isEmpty() || delete.objects.size() > MAX_DELETE_KEYS) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        List<BucketFile.ObjectToDelete> keys = new ArrayList<>(delete.objects.size());
        XmlWriter xml = XmlWriter.document("DeleteResult");
        List<String[]> errors = new ArrayList<>();
        List<String[]> denied = new ArrayList<>();
        for (RequestDocuments.ObjectIdentifier object : delete.objects) {
            if (object.key == null || object.key.isEmpty()) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            if (object.versionId != null && !VersionIds.isWellFormed(object.versionId)) {
                errors.add(new String[] {object.key, object.versionId});
            } else if (!access.mayDelete(request, object.key, object.versionId)) {
                denied.add(new String[] {object.key, object.versionId});
            } else {
                keys.add(new BucketFile.ObjectToDelete(object.key, object.versionId, Preconditions.forDelete(object.etag)));
            }
        }
        List<DeleteResult> results = bucket.deleteObjects(keys, ObjectLockOperations.bypassGovernance(request));
        for (DeleteResult result : results) {
            S3Exception refused = result.refused();
            if (refused != null) {
                xml.start("Error").element("Key", result.key()).element("VersionId", result.versionId())
                        .element("Code", refused.error().code())
                        .element("Message", refused.getMessage() != null ? refused.getMessage()
                                : refused.error().defaultMessage()).end();
            }
        }
        boolean quiet = Boolean.TRUE.equals(delete.quiet);
        if (!quiet) {
            for (int i = 0; i < results.size(); i++) {
                DeleteResult result = results.get(i);
                if (result.refused() != null) {
                    continue;
                }
                String requestedVersion = keys.get(i).versionId();
                xml.start("Deleted").element("Key", result.key()).element("VersionId", requestedVersion);
                if (result.deleteMarker()) {
                    xml.element("DeleteMarker", true).element("DeleteMarkerVersionId", result.versionId());
                }
                xml.end();
            }
        }
        for (String[] error : errors) {
            xml.start("Error").element("Key", error[0]).element("VersionId", error[1])
                    .element("Code", S3ErrorCode.NO_SUCH_VERSION.code())
                    .element("Message", S3ErrorCode.NO_SUCH_VERSION.defaultMessage()).end();
        }
        for (String[] refused : denied) {
            xml.start("Error").element("Key", refused[0]).element("VersionId", refused[1])
                    .element("Code", S3ErrorCode.ACCESS_DENIED.code())
                    .element("Message", S3ErrorCode.ACCESS_DENIED.defaultMessage()).end();
        }
        return S3Response.xml(xml);
    }

    S3Response copyObject(S3Request request) {
        BucketFile target = store.bucket(request.bucket());
        ObjectRequests.checkKey(request.key());
        CopySource source = CopySource.parse(request.header("x-amz-copy-source"));
        BucketFile sourceBucket = store.bucket(source.bucket());
        ObjectLock lock = ObjectLockOperations.fromHeaders(request);
        ServerSideEncryption.CustomerKey customerKey = ServerSideEncryption.customerKey(request, false);
        ObjectEncryption encryption = ServerSideEncryption.forWrite(request, target, customerKey);
        String acl = access.newObjectAcl(request, target);
        ObjectContent content = readCopySource(request, sourceBucket, source, ByteRange.WHOLE);
        ObjectInfo sourceInfo = content.info();
        boolean replaceMetadata = directive(request, "x-amz-metadata-directive");
        boolean replaceTags = directive(request, "x-amz-tagging-directive");
        ChecksumAlgorithm requested = ChecksumAlgorithm.fromName(request.header("x-amz-checksum-algorithm"));
        if (request.header("x-amz-checksum-algorithm") != null && requested == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported.");
        }
        boolean sameObject = source.bucket().equals(request.bucket()) && source.key().equals(request.key())
                && source.versionId() == null;
        if (sameObject && !replaceMetadata && !replaceTags && requested == null
                && request.header("x-amz-storage-class") == null && request.header(ServerSideEncryption.ALGORITHM) == null
                && customerKey == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "This copy request is illegal because it is trying to copy an object to itself without changing the"
                            + " object's metadata, storage class, website redirect location or encryption attributes.");
        }
        Map<String, String> metadata = replaceMetadata ? ObjectRequests.userMetadata(request) : sourceInfo.userMetadata();
        ObjectHeaders headers = replaceMetadata ? ObjectRequests.objectHeaders(request) : sourceInfo.headers();
        Map<String, String> tags = replaceTags
                ? ObjectRequests.tagsFromHeader(request.header("x-amz-tagging")) : sourceInfo.tags();
        StoredChecksum checksum = copyChecksum(sourceInfo.checksum(), requested, content.bytes());
        byte[] value = content.bytes();
        encryption = ServerSideEncryption.seal(encryption, customerKey, value);
        ObjectInfo stored = target.putObject(
                new NewObject(request.key(), value, metadata, headers, checksum, tags, encryption).withAcl(acl),
                Preconditions.forWrite(request), lock);
        XmlWriter xml = XmlWriter.document("CopyObjectResult")
                .element("ETag", ObjectRequests.quote(stored.etag()))
                .element("LastModified", stored.lastModified());
        if (stored.checksum() != null) {
            xml.element("ChecksumType", stored.checksum().type().name())
                    .element("Checksum" + stored.checksum().algorithm(), stored.checksum().value());
        }
        S3Response response = S3Response.xml(xml);
        Versions.writeVersionId(response, target, stored.versionId());
        lifecycle.writeExpiration(response, target, stored);
        writeCopySourceVersionId(response, sourceBucket, sourceInfo);
        ServerSideEncryption.writeHeaders(response, stored.encryption(), true);
        return response;
    }

    /**
     * Reads the source of CopyObject or UploadPartCopy: the version it names (else the current
     * one), its x-amz-copy-source-if-* conditions checked and the slice reserved in the memory budget;
     * an SSE-C source decrypted with the x-amz-copy-source-server-side-encryption-customer-* key, which
     * must be its own.
     *
     * @throws S3Exception NoSuchKey (also when the current version is a delete marker),
     *                     NoSuchVersion, InvalidRequest for a delete marker named by version id
     */
    static ObjectContent readCopySource(S3Request request, BucketFile bucket, CopySource source, ByteRange range) {
        ServerSideEncryption.CustomerKey sourceKey = ServerSideEncryption.customerKey(request, true);
        ReadResult result = bucket.getObject(new ObjectRead(source.key(), source.versionId(),
                Preconditions.forCopySource(request), range, true, request.memory()::reserve));
        if (result instanceof ReadResult.DeleteMarker marker) {
            if (marker.byVersionId()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "The source of a copy request may not specifically refer to a delete marker by version id.");
            }
            throw new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", source.key());
        }
        ObjectContent content = (ObjectContent) result;
        ServerSideEncryption.checkRead(content.info().encryption(), sourceKey);
        ServerSideEncryption.open(content.info().encryption(), sourceKey, content.slice().offset(), content.bytes());
        return content;
    }

    static void writeCopySourceVersionId(S3Response response, BucketFile source, ObjectInfo info) {
        if (source.versioning().status() != Versioning.Status.UNVERSIONED || !VersionIds.NULL.equals(info.versionId())) {
            response.header("x-amz-copy-source-version-id", info.versionId());
        }
    }

    /** A full-object checksum stays true of a copy; anything else is computed afresh. */
    private static StoredChecksum copyChecksum(StoredChecksum source, ChecksumAlgorithm requested, byte[] bytes) {
        if (source != null && source.type() == ChecksumType.FULL_OBJECT
                && (requested == null || requested.name().equals(source.algorithm()))) {
            return source;
        }
        ChecksumAlgorithm algorithm = requested != null ? requested : ChecksumAlgorithm.CRC64NVME;
        ChecksumDigest digest = algorithm.newDigest();
        digest.update(bytes, 0, bytes.length);
        return new StoredChecksum(algorithm.name(), Checksums.base64(digest.digest()), ChecksumType.FULL_OBJECT);
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

package io.github.s3ite.server.operations;

import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.PercentCoding;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.ListPage;
import io.github.s3ite.server.storage.ListedVersion;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.VersionIds;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

/** ListObjects (v1), ListObjectsV2 and ListObjectVersions, all over the same key-range listing. */
final class ListingOperations {
    private static final int MAX_KEYS = 1000;

    private final BucketStore store;
    private final AccessControls access;

    ListingOperations(BucketStore store, AccessControls access) {
        this.store = store;
        this.access = access;
    }

    S3Response listObjects(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        Owner owner = ownerOf(bucket);
        Listing listing = Listing.of(request);
        String marker = request.query("marker");
        ListPage page = bucket.listObjects(listing.prefix, listing.delimiter, emptyToNull(marker), listing.maxKeys);
        UnaryOperator<String> encode = listing.encoder();
        XmlWriter xml = XmlWriter.document("ListBucketResult")
                .element("Name", request.bucket())
                .element("Prefix", encode.apply(nullToEmpty(listing.prefix)))
                .element("Marker", encode.apply(nullToEmpty(marker)))
                .element("MaxKeys", listing.maxKeys)
                .element("Delimiter", encode.apply(listing.delimiter))
                .element("IsTruncated", page.truncated());
        if (page.truncated() && listing.delimiter != null) {
            xml.element("NextMarker", encode.apply(page.lastEntry()));
        }
        for (ObjectInfo object : page.objects()) {
            writeContents(xml, object, encode, owner);
        }
        writeCommonPrefixes(xml, page, encode);
        xml.element("EncodingType", listing.encodingType);
        return S3Response.xml(xml);
    }

    S3Response listObjectsV2(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        Owner owner = ownerOf(bucket);
        Listing listing = Listing.of(request);
        String token = request.query("continuation-token");
        String startAfter = emptyToNull(request.query("start-after"));
        String from = token != null ? decodeToken(token) : startAfter;
        boolean fetchOwner = "true".equals(request.query("fetch-owner"));
        ListPage page = bucket.listObjects(listing.prefix, listing.delimiter, from, listing.maxKeys);
        UnaryOperator<String> encode = listing.encoder();
        XmlWriter xml = XmlWriter.document("ListBucketResult")
                .element("Name", request.bucket())
                .element("Prefix", encode.apply(nullToEmpty(listing.prefix)))
                .element("Delimiter", encode.apply(listing.delimiter))
                .element("MaxKeys", listing.maxKeys)
                .element("KeyCount", page.objects().size() + page.commonPrefixes().size())
                .element("IsTruncated", page.truncated())
                .element("ContinuationToken", token)
                .element("NextContinuationToken", page.truncated() ? encodeToken(page.lastEntry()) : null)
                .element("StartAfter", encode.apply(startAfter));
        for (ObjectInfo object : page.objects()) {
            writeContents(xml, object, encode, fetchOwner ? owner : null);
        }
        writeCommonPrefixes(xml, page, encode);
        xml.element("EncodingType", listing.encodingType);
        return S3Response.xml(xml);
    }

    /**
     * Every version and delete marker, keys in UTF-8 order and each key's versions newest first;
     * {@code key-marker} and {@code version-id-marker} continue where a page ended.
     */
    S3Response listObjectVersions(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        Owner owner = ownerOf(bucket);
        Listing listing = Listing.of(request);
        String keyMarker = emptyToNull(request.query("key-marker"));
        String versionIdMarker = emptyToNull(request.query("version-id-marker"));
        if (versionIdMarker != null && keyMarker == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "A version-id marker cannot be specified without a key marker.")
                    .with("ArgumentName", "version-id-marker").with("ArgumentValue", versionIdMarker);
        }
        if (versionIdMarker != null && !VersionIds.isWellFormed(versionIdMarker)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
                    .with("ArgumentName", "version-id-marker").with("ArgumentValue", versionIdMarker);
        }
        ListedVersion.Page page = bucket.listObjectVersions(listing.prefix, listing.delimiter, keyMarker,
                versionIdMarker, listing.maxKeys);
        UnaryOperator<String> encode = listing.encoder();
        XmlWriter xml = XmlWriter.document("ListVersionsResult")
                .element("Name", request.bucket())
                .element("Prefix", encode.apply(nullToEmpty(listing.prefix)))
                .element("KeyMarker", encode.apply(nullToEmpty(keyMarker)))
                .element("VersionIdMarker", nullToEmpty(versionIdMarker))
                .element("MaxKeys", listing.maxKeys)
                .element("Delimiter", encode.apply(listing.delimiter))
                .element("IsTruncated", page.truncated());
        if (page.truncated()) {
            xml.element("NextKeyMarker", encode.apply(page.nextKeyMarker()))
                    .element("NextVersionIdMarker", page.nextVersionIdMarker());
        }
        for (ListedVersion version : page.versions()) {
            ObjectInfo object = version.info();
            if (object.deleteMarker()) {
                xml.start("DeleteMarker");
                owner.write(xml, "Owner");
                xml.element("Key", encode.apply(object.key()))
                        .element("VersionId", object.versionId())
                        .element("IsLatest", version.latest())
                        .element("LastModified", object.lastModified())
                        .end();
                continue;
            }
            xml.start("Version")
                    .element("Key", encode.apply(object.key()))
                    .element("VersionId", object.versionId())
                    .element("IsLatest", version.latest())
                    .element("LastModified", object.lastModified())
                    .element("ETag", ObjectRequests.quote(object.etag()))
                    .element("Size", object.size());
            if (object.checksum() != null) {
                xml.element("ChecksumAlgorithm", object.checksum().algorithm())
                        .element("ChecksumType", object.checksum().type().name());
            }
            owner.write(xml, "Owner");
            xml.element("StorageClass", "STANDARD").end();
        }
        for (String prefix : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", encode.apply(prefix)).end();
        }
        xml.element("EncodingType", listing.encodingType);
        return S3Response.xml(xml);
    }

    /** Listings show the bucket's owner as every entry's. */
    private Owner ownerOf(BucketFile bucket) {
        var owner = access.bucket(bucket).owner();
        return new Owner(owner.id(), owner.displayName());
    }

    private static void writeContents(XmlWriter xml, ObjectInfo object, UnaryOperator<String> encode, Owner owner) {
        xml.start("Contents")
                .element("Key", encode.apply(object.key()))
                .element("LastModified", object.lastModified())
                .element("ETag", ObjectRequests.quote(object.etag()))
                .element("Size", object.size());
        if (object.checksum() != null) {
            xml.element("ChecksumAlgorithm", object.checksum().algorithm())
                    .element("ChecksumType", object.checksum().type().name());
        }
        if (owner != null) {
            owner.write(xml, "Owner");
        }
        xml.element("StorageClass", "STANDARD").end();
    }

    private static void writeCommonPrefixes(XmlWriter xml, ListPage page, UnaryOperator<String> encode) {
        for (String prefix : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", encode.apply(prefix)).end();
        }
    }

    /** Continuation tokens carry the last key or prefix returned, so they survive a restart. */
    private static String encodeToken(String lastEntry) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastEntry.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.isEmpty()) {
                throw new IllegalArgumentException("empty token");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
                    .with("ArgumentName", "continuation-token");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    /** The listing parameters the three listings share. */
    private record Listing(String prefix, String delimiter, int maxKeys, String encodingType) {

        static Listing of(S3Request request) {
            String encodingType = request.query("encoding-type");
            if (encodingType != null && !encodingType.equals("url")) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
                        .with("ArgumentName", "encoding-type").with("ArgumentValue", encodingType);
            }
            int maxKeys = ObjectRequests.intParameter(request, "max-keys", MAX_KEYS, 0, MAX_KEYS);
            return new Listing(emptyToNull(request.query("prefix")), emptyToNull(request.query("delimiter")),
                    maxKeys, encodingType);
        }

        UnaryOperator<String> encoder() {
            return encodingType == null ? value -> value : PercentCoding::encodeKey;
        }
    }
}

package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.ObjectPart;
import io.github.s3ite.server.storage.ObjectPartsPage;
import io.github.s3ite.server.storage.StoredChecksum;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * GetObjectAttributes: the attributes named in {@code x-amz-object-attributes}, parts paged, of the
 * current version or the one {@code versionId} names (only the current version keeps its parts). An
 * SSE-C version's attributes need its key, as its bytes do.
 */
final class ObjectAttributesOperations {
    private static final int MAX_PARTS = 1000;

    /** The attributes S3 answers, spelled as in {@code x-amz-object-attributes}. */
    enum Attribute {
        ETAG("ETag"), CHECKSUM("Checksum"), OBJECT_PARTS("ObjectParts"), STORAGE_CLASS("StorageClass"),
        OBJECT_SIZE("ObjectSize");

        private final String s3Name;

        Attribute(String s3Name) {
            this.s3Name = s3Name;
        }

        static Attribute named(String name) {
            for (Attribute attribute : values()) {
                if (attribute.s3Name.equals(name)) {
                    return attribute;
                }
            }
            return null;
        }
    }

    private final BucketStore store;

    ObjectAttributesOperations(BucketStore store) {
        this.store = store;
    }

    S3Response getObjectAttributes(S3Request request) {
        List<String> named = request.headers().get("x-amz-object-attributes");
        Set<Attribute> wanted = attributes(named == null ? null : String.join(",", named));
        int maxParts = headerInt(request, "x-amz-max-parts", MAX_PARTS, MAX_PARTS);
        int marker = headerInt(request, "x-amz-part-number-marker", 0, Integer.MAX_VALUE);
        ServerSideEncryption.CustomerKey customerKey = ServerSideEncryption.customerKey(request, false);
        BucketFile bucket = store.bucket(request.bucket());
        ObjectPartsPage page = bucket.objectParts(request.key(), Versions.versionId(request), marker,
                wanted.contains(Attribute.OBJECT_PARTS) ? maxParts : 0);
        ObjectInfo info = page.info();
        ServerSideEncryption.checkRead(info.encryption(), customerKey);
        XmlWriter xml = XmlWriter.document("GetObjectAttributesResponse");
        if (wanted.contains(Attribute.ETAG)) {
            xml.element("ETag", info.etag());
        }
        StoredChecksum checksum = info.checksum();
        if (wanted.contains(Attribute.CHECKSUM) && checksum != null) {
            xml.start("Checksum")
                    .element("Checksum" + checksum.algorithm(), checksum.value())
                    .element("ChecksumType", checksum.type().name())
                    .end();
        }
        if (wanted.contains(Attribute.OBJECT_PARTS) && page.partsCount() > 0) {
            xml.start("ObjectParts")
                    .element("PartsCount", page.partsCount())
                    .element("PartNumberMarker", marker)
                    .element("NextPartNumberMarker", page.nextPartNumberMarker())
                    .element("MaxParts", maxParts)
                    .element("IsTruncated", page.truncated());
            for (ObjectPart part : page.parts()) {
                xml.start("Part");
                if (part.checksum() != null) {
                    xml.element("Checksum" + part.checksum().algorithm(), part.checksum().value());
                }
                xml.element("PartNumber", part.partNumber())
                        .element("Size", part.size())
                        .end();
            }
            xml.end();
        }
        if (wanted.contains(Attribute.STORAGE_CLASS)) {
            xml.element("StorageClass", "STANDARD");
        }
        if (wanted.contains(Attribute.OBJECT_SIZE)) {
            xml.element("ObjectSize", info.size());
        }
        S3Response response = S3Response.xml(xml).header("Last-Modified", HttpDates.format(info.lastModified()));
        Versions.writeVersionId(response, bucket, info.versionId());
        return response;
    }

    /** The comma-separated attribute names; at least one, each one S3 knows. */
    static Set<Attribute> attributes(String header) {
        Set<Attribute> wanted = EnumSet.noneOf(Attribute.class);
        if (header != null) {
            for (String name : header.split(",")) {
                String trimmed = name.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                Attribute attribute = Attribute.named(trimmed);
                if (attribute == null) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid attribute name specified.")
                            .with("ArgumentName", "x-amz-object-attributes").with("ArgumentValue", trimmed);
                }
                wanted.add(attribute);
            }
        }
        if (wanted.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Attributes must be specified.")
                    .with("ArgumentName", "x-amz-object-attributes");
        }
        return wanted;
    }

    private static int headerInt(S3Request request, String name, int defaultValue, int max) {
        String value = request.header(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 0) {
                return Math.min(parsed, max);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided " + name + " not an integer or within integer range")
                .with("ArgumentName", name).with("ArgumentValue", value.toLowerCase(Locale.ROOT));
    }
}

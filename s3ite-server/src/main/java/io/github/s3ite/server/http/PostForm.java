package io.github.s3ite.server.http;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A browser form upload (POST Object) as S3 reads it: the fields before the {@code file} field,
 * read whole and bounded, then the file, left to stream from the body. Fields after the file are
 * never read, as S3 ignores them. Field names are case-insensitive: they are kept lower-case; their
 * values exactly as sent.
 */
public final class PostForm {
    /** S3 reads at most this much of a form before its file, boundaries and part heads included. */
    static final int MAX_FIELDS_BYTES = 20 * 1024;
    private static final String FILENAME_VARIABLE = "${filename}";
    /** Fields that are PutObject headers of the same name. */
    private static final Set<String> OBJECT_HEADERS = Set.of("cache-control", "content-type", "content-disposition",
            "content-encoding", "content-language", "expires", "content-md5", "x-amz-storage-class",
            "x-amz-website-redirect-location");

    private final Map<String, String> fields;
    private final String key;
    private final String filename;
    private final InputStream file;
    private final long fileOffset;
    private final String location;

    private PostForm(Map<String, String> fields, String key, String filename, InputStream file, long fileOffset,
                     String location) {
        this.fields = Collections.unmodifiableMap(fields);
        this.key = key;
        this.filename = filename;
        this.file = file;
        this.fileOffset = fileOffset;
        this.location = location;
    }

    /**
     * Reads a form's fields up to its file.
     *
     * @param contentType the request's Content-Type, which names the boundary
     * @param bucketUrl   the bucket's URL as the client addressed it ({@code http://host/bucket}, or
     *                    {@code http://bucket.domain} virtual-hosted), for the object's Location
     * @throws S3Exception MalformedPOSTRequest, MaxPostPreDataLengthExceeded, or InvalidArgument for
     *                     a form without a file or a key before it
     */
    static PostForm read(InputStream body, String contentType, String bucketUrl) {
        MultipartFormReader reader = MultipartFormReader.of(body, contentType);
        S3Exception tooLarge = new S3Exception(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED)
                .with("MaxPostPreDataLengthBytes", Integer.toString(MAX_FIELDS_BYTES));
        Map<String, String> fields = new LinkedHashMap<>();
        MultipartFormReader.Part part;
        while ((part = reader.nextPart(MAX_FIELDS_BYTES, tooLarge)) != null) {
            if (reader.position() > MAX_FIELDS_BYTES) {
                throw tooLarge;
            }
            String name = part.name().toLowerCase(Locale.ROOT);
            if (name.equals("file")) {
                String filename = part.filename() == null ? "" : part.filename();
                String key = fields.get("key");
                if (key == null || key.isEmpty()) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Bucket POST must contain a field named 'key'."
                            + "  If it is specified, please check the order of the fields.")
                            .with("ArgumentName", "key").with("ArgumentValue", "");
                }
                key = key.replace(FILENAME_VARIABLE, filename);
                return new PostForm(fields, key, filename, reader.content(), reader.position(),
                        bucketUrl + "/" + PercentCoding.encodeComponent(key));
            }
            String value = reader.text(MAX_FIELDS_BYTES - reader.position(), tooLarge);
            fields.putIfAbsent(name, value);
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "POST requires exactly one file upload per request.")
                .with("ArgumentName", "file").with("ArgumentValue", "0");
    }

    /** The fields before the file: lower-case names, the first value of each, in the order sent. */
    public Map<String, String> fields() {
        return fields;
    }

    /** A field's value, or null; {@code name} lower-case. */
    public String field(String name) {
        return fields.get(name);
    }

    /** The object's key: the {@code key} field, {@code ${filename}} replaced by the file's name. */
    public String key() {
        return key;
    }

    /** The name the file was sent with ("" when none). */
    public String filename() {
        return filename;
    }

    /** The file's content, read as it streams; once. */
    public InputStream file() {
        return file;
    }

    /** How many bytes of the body came before the file's content. */
    public long fileOffset() {
        return fileOffset;
    }

    /** The new object's URL, as S3 answers it in {@code Location}. */
    public String location() {
        return location;
    }

    /**
     * The headers of the PutObject this form stands for, lower-case: the system headers,
     * {@code Content-MD5}, {@code x-amz-meta-*}, the storage class, server-side encryption and
     * checksum fields as they are; {@code acl} as {@code x-amz-acl}; {@code x-amz-checksum-algorithm}
     * as {@code x-amz-sdk-checksum-algorithm}. Other fields (the policy, its signature, the success
     * actions, {@code tagging}) are the form's own.
     */
    public Map<String, List<String>> objectHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String name = field.getKey();
            String header = null;
            if (OBJECT_HEADERS.contains(name) || name.startsWith("x-amz-meta-")
                    || name.startsWith("x-amz-server-side-encryption")) {
                header = name;
            } else if (name.equals("acl")) {
                header = "x-amz-acl";
            } else if (name.equals("x-amz-checksum-algorithm")) {
                header = "x-amz-sdk-checksum-algorithm";
            } else if (name.startsWith("x-amz-checksum-")) {
                header = name;
            }
            if (header != null) {
                headers.put(header, new ArrayList<>(List.of(field.getValue())));
            }
        }
        return headers;
    }
}

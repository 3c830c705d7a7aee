package io.github.s3ite.server.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;

/**
 * The XML documents clients send (CompleteMultipartUpload, Delete, Tagging), read with Jackson.
 * DTDs and external entities are off: a request body never makes the server read a file or URL.
 */
final class RequestDocuments {
    private static final XmlMapper MAPPER;

    static {
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        MAPPER = new XmlMapper(new XmlFactory(input));
        MAPPER.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    private RequestDocuments() {
    }

    static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, S3ErrorCode.MALFORMED_XML.defaultMessage(), e);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class CompleteMultipartUpload {
        @JsonProperty("Part")
        @JacksonXmlElementWrapper(useWrapping = false)
        List<Part> parts = new ArrayList<>();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Part {
        @JsonProperty("PartNumber")
        Integer partNumber;
        @JsonProperty("ETag")
        String etag;
        @JsonProperty("ChecksumCRC32")
        String checksumCrc32;
        @JsonProperty("ChecksumCRC32C")
        String checksumCrc32c;
        @JsonProperty("ChecksumCRC64NVME")
        String checksumCrc64nvme;
        @JsonProperty("ChecksumSHA1")
        String checksumSha1;
        @JsonProperty("ChecksumSHA256")
        String checksumSha256;

        String checksum() {
            for (String value : new String[] {checksumCrc32, checksumCrc32c, checksumCrc64nvme, checksumSha1, checksumSha256}) {
                if (value != null && !value.isBlank()) {
                    return value.trim();
                }
            }
            return null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Delete {
        @JsonProperty("Quiet")
        Boolean quiet;
        @JsonProperty("Object")
        @JacksonXmlElementWrapper(useWrapping = false)
        List<ObjectIdentifier> objects = new ArrayList<>();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ObjectIdentifier {
        @JsonProperty("Key")
        String key;
        @JsonProperty("VersionId")
        String versionId;
        @JsonProperty("ETag")
        String etag;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class VersioningConfiguration {
        @JsonProperty("Status")
        String status;
        @JsonProperty("MfaDelete")
        String mfaDelete;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ServerSideEncryptionConfiguration {
        @JsonProperty("Rule")
        @JacksonXmlElementWrapper(useWrapping = false)
        List<EncryptionRule> rules = new ArrayList<>();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class EncryptionRule {
        @JsonProperty("ApplyServerSideEncryptionByDefault")
        ApplyServerSideEncryptionByDefault byDefault;
        @JsonProperty("BucketKeyEnabled")
        Boolean bucketKeyEnabled;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ApplyServerSideEncryptionByDefault {
        @JsonProperty("SSEAlgorithm")
        String sseAlgorithm;
        @JsonProperty("KMSMasterKeyID")
        String kmsMasterKeyId;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ObjectLockConfiguration {
        @JsonProperty("ObjectLockEnabled")
        String objectLockEnabled;
        @JsonProperty("Rule")
        Rule rule;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Rule {
        @JsonProperty("DefaultRetention")
        DefaultRetention defaultRetention;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class DefaultRetention {
        @JsonProperty("Mode")
        String mode;
        @JsonProperty("Days")
        Integer days;
        @JsonProperty("Years")
        Integer years;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Retention {
        @JsonProperty("Mode")
        String mode;
        @JsonProperty("RetainUntilDate")
        String retainUntilDate;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class LegalHold {
        @JsonProperty("Status")
        String status;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Tagging {
        @JsonProperty("TagSet")
        TagSet tagSet;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class TagSet {
        @JsonProperty("Tag")
        @JacksonXmlElementWrapper(useWrapping = false)
        List<Tag> tags = new ArrayList<>();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class Tag {
        @JsonProperty("Key")
        String key;
        @JsonProperty("Value")
        String value;
    }
}

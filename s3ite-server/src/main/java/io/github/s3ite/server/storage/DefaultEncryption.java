package io.github.s3ite.server.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bucket's default encryption (the rule of its {@code ServerSideEncryptionConfiguration}):
 * what a new object gets when its request names no encryption.
 *
 * @param algorithm        {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}
 * @param kmsKeyId         the {@code KMSMasterKeyID}, or null
 * @param bucketKeyEnabled the rule's {@code BucketKeyEnabled}
 */
public record DefaultEncryption(String algorithm, String kmsKeyId, boolean bucketKeyEnabled) {
    /** What GetBucketEncryption answers for a bucket that was never given one, as S3 does. */
    public static final DefaultEncryption SSE_S3 = new DefaultEncryption("AES256", null, false);

    private static final Pattern ALGORITHM = Pattern.compile("<SSEAlgorithm>([^<]*)</SSEAlgorithm>");
    private static final Pattern KEY = Pattern.compile("<KMSMasterKeyID>([^<]*)</KMSMasterKeyID>");
    private static final Pattern BUCKET_KEY = Pattern.compile("<BucketKeyEnabled>([^<]*)</BucketKeyEnabled>");

    /** What an object written under this default is encrypted with. */
    public ObjectEncryption objectEncryption() {
        boolean kms = algorithm.startsWith("aws:kms");
        return ObjectEncryption.serverSide(algorithm, kms ? kmsKeyId : null, kms && bucketKeyEnabled, null);
    }

    /** The document kept in {@code bucket_configuration} under {@code encryption}, as GetBucketEncryption answers it. */
    public String document() {
        StringBuilder xml = new StringBuilder(
                "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
                        + "<ApplyServerSideEncryptionByDefault><SSEAlgorithm>").append(algorithm).append("</SSEAlgorithm>");
        if (kmsKeyId != null) {
            xml.append("<KMSMasterKeyID>").append(escape(kmsKeyId)).append("</KMSMasterKeyID>");
        }
        return xml.append("</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>").append(bucketKeyEnabled)
                .append("</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>").toString();
    }

    /** Reads back a document written by {@link #document()}; null for none. */
    static DefaultEncryption parse(String document) {
        if (document == null) {
            return null;
        }
        Matcher algorithm = ALGORITHM.matcher(document);
        Matcher key = KEY.matcher(document);
        Matcher bucketKey = BUCKET_KEY.matcher(document);
        return new DefaultEncryption(algorithm.find() ? algorithm.group(1) : "AES256",
                key.find() ? unescape(key.group(1)) : null, bucketKey.find() && "true".equals(bucketKey.group(1)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}

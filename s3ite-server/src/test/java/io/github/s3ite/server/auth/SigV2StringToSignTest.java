package io.github.s3ite.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The string to sign of Signature Version 2 against the examples of AWS's "Signing and
 * authenticating REST requests" (credentials AKIAIOSFODNN7EXAMPLE /
 * wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY), and the sub-resources it signs. The published
 * signatures were computed when the examples' bucket was called {@code johnsmith} (later pages
 * renamed it and kept them), so that is the bucket here; each example must give the published
 * StringToSign and verify with the published signature.
 */
class SigV2StringToSignTest {
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.computeIfAbsent(namesAndValues[i], name -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return headers;
    }

    /** The example's string to sign, checked; then the example verified, at the time of its Date. */
    private static void assertPublishedExample(SignedRequest request, String stringToSign, String signature) {
        assertEquals(stringToSign, StringToSignV2.of(request, request.header("x-amz-date") != null ? "" : request.header("date"), Map.of()));
        SignedRequest signed = withAuthorization(request, "AWS " + ACCESS_KEY + ":" + signature);
        ZonedDateTime date = ZonedDateTime.parse(request.header("date"), DateTimeFormatter.RFC_1123_DATE_TIME);
        Authentication auth = new SigV2Verifier(Map.of(ACCESS_KEY, SECRET_KEY), Clock.fixed(date.toInstant(), ZoneOffset.UTC))
                .verify(signed);
        assertEquals(ACCESS_KEY, auth.accessKey());
    }

    private static SignedRequest withAuthorization(SignedRequest request, String authorization) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.put("authorization", List.of(authorization));
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers, request.virtualHostedBucket());
    }

    @Test
    void publishedObjectGetSignsTheVirtualHostedBucketBeforeThePath() {
        assertPublishedExample(new SignedRequest("GET", "/photos/puppy.jpg", null,
                        headers("host", "johnsmith.s3.amazonaws.com", "date", "Tue, 27 Mar 2007 19:36:42 +0000"), "johnsmith"),
                "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg",
                "bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
    }

    @Test
    void publishedObjectPutSignsContentTypeAndAnEmptyContentMd5() {
        assertPublishedExample(new SignedRequest("PUT", "/photos/puppy.jpg", null, headers(
                        "content-type", "image/jpeg", "content-length", "94328",
                        "host", "johnsmith.s3.amazonaws.com", "date", "Tue, 27 Mar 2007 21:15:45 +0000"), "johnsmith"),
                "PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/johnsmith/photos/puppy.jpg",
                "MyyxeRY7whkBe+bq8fHCL/2kKUg=");
    }

    @Test
    void publishedListSignsNoneOfItsQueryParameters() {
        assertPublishedExample(new SignedRequest("GET", "/", "prefix=photos&max-keys=50&marker=puppy", headers(
                        "user-agent", "Mozilla/5.0", "host", "johnsmith.s3.amazonaws.com",
                        "date", "Tue, 27 Mar 2007 19:42:41 +0000"), "johnsmith"),
                "GET\n\n\nTue, 27 Mar 2007 19:42:41 +0000\n/johnsmith/",
                "htDYFYduRNen8P9ZfE/s9SuKy0U=");
    }

    @Test
    void publishedFetchSignsTheAclSubResource() {
        assertPublishedExample(new SignedRequest("GET", "/", "acl", headers(
                        "host", "johnsmith.s3.amazonaws.com", "date", "Tue, 27 Mar 2007 19:44:46 +0000"), "johnsmith"),
                "GET\n\n\nTue, 27 Mar 2007 19:44:46 +0000\n/johnsmith/?acl",
                "c2WLPFtWHVgbEmeEG93a4cG37dM=");
    }

    @Test
    void publishedUploadSortsLowerCasesAndJoinsAmzHeaders() {
        assertPublishedExample(new SignedRequest("PUT", "/db-backup.dat.gz", null, headers(
                        "user-agent", "curl/7.15.5",
                        "host", "static.johnsmith.net:8080",
                        "date", "Tue, 27 Mar 2007 21:06:08 +0000",
                        "x-amz-acl", "public-read",
                        "content-type", "application/x-download",
                        "content-md5", "4gJE4saaMU4BqNR0kLY+lw==",
                        "X-Amz-Meta-ReviewedBy", "joe@johnsmith.net",
                        "X-Amz-Meta-ReviewedBy", "jane@johnsmith.net",
                        "X-Amz-Meta-FileChecksum", "0x02661779",
                        "X-Amz-Meta-ChecksumAlgorithm", "crc32",
                        "content-disposition", "attachment; filename=database.dat",
                        "content-encoding", "gzip",
                        "content-length", "5913339"), "static.johnsmith.net"),
                "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\nTue, 27 Mar 2007 21:06:08 +0000\n"
                        + "x-amz-acl:public-read\n"
                        + "x-amz-meta-checksumalgorithm:crc32\n"
                        + "x-amz-meta-filechecksum:0x02661779\n"
                        + "x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n"
                        + "/static.johnsmith.net/db-backup.dat.gz",
                "ilyl83RwaSoYIEdixDQcA4OnAnc=");
    }

    @Test
    void publishedListAllMyBucketsSignsTheRoot() {
        assertPublishedExample(new SignedRequest("GET", "/", null, headers(
                        "host", "s3.amazonaws.com", "date", "Wed, 28 Mar 2007 01:29:59 +0000")),
                "GET\n\n\nWed, 28 Mar 2007 01:29:59 +0000\n/",
                "qGdzdERIC03wnaRNKh6OqZehG9s=");
    }

    @Test
    void publishedUnicodeKeysSignThePathAsSentPercentEncodingAndItsCaseIncluded() {
        assertPublishedExample(new SignedRequest("GET", "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re", null, headers(
                        "host", "s3.amazonaws.com", "date", "Wed, 28 Mar 2007 01:49:49 +0000")),
                "GET\n\n\nWed, 28 Mar 2007 01:49:49 +0000\n/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re",
                "DNEZGsoieTZ92F3bUfSPQcbGmlM=");
    }

    @Test
    void publishedQueryStringRequestSignsExpiresInTheDatePosition() {
        SignedRequest request = new SignedRequest("GET", "/photos/puppy.jpg",
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
                headers("host", "johnsmith.s3.amazonaws.com"), "johnsmith");
        assertEquals("GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg", StringToSignV2.of(request, "1175139620", Map.of()));
        Clock before = Clock.fixed(java.time.Instant.ofEpochSecond(1175139620 - 60), ZoneOffset.UTC);
        assertEquals(ACCESS_KEY, new SigV2Verifier(Map.of(ACCESS_KEY, SECRET_KEY), before).verify(request).accessKey());
    }

    /**
     * The page's Delete example puts x-amz-date in the Date position and leaves it out of the
     * x-amz-* headers, against the rule the same page states ("if you include the x-amz-date header,
     * use the empty string for the Date"), which is the rule botocore and S3 follow.
     */
    @Test
    void withXAmzDateTheDatePositionIsEmptyAndXAmzDateIsSignedAmongTheAmzHeaders() {
        SignedRequest request = new SignedRequest("DELETE", "/johnsmith/photos/puppy.jpg", null, headers(
                "user-agent", "dotnet", "host", "s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 21:20:27 +0000",
                "x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000"));
        assertEquals("DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg",
                StringToSignV2.of(request, "", Map.of()));
        String signature = Hashing.hmacSha1Base64(SECRET_KEY, StringToSignV2.of(request, "", Map.of()));
        Clock at = Clock.fixed(java.time.Instant.parse("2007-03-27T21:20:26Z"), ZoneOffset.UTC);
        assertEquals(ACCESS_KEY, new SigV2Verifier(Map.of(ACCESS_KEY, SECRET_KEY), at)
                .verify(withAuthorization(request, "AWS " + ACCESS_KEY + ":" + signature)).accessKey());
    }

    @Test
    void onlySubResourcesAreSignedSortedByNameWithTheirValuesDecoded() {
        assertEquals("/b/k?partNumber=2&uploadId=abc-1",
                StringToSignV2.canonicalizedResource("/b/k", "uploadId=abc%2D1&x-id=UploadPart&partNumber=2&prefix=p", null));
        assertEquals("/b/k?response-content-disposition=attachment; filename=\"a b.txt\"&response-content-type=text/plain",
                StringToSignV2.canonicalizedResource("/b/k",
                        "response-content-type=text%2Fplain&response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22",
                        null));
        assertEquals("/b/?delete", StringToSignV2.canonicalizedResource("/b/", "delete", null));
        assertEquals("/b/?uploads", StringToSignV2.canonicalizedResource("/b/", "uploads&prefix=x", null));
        assertEquals("/b/?versions", StringToSignV2.canonicalizedResource("/b/", "versions&key-marker=k&max-keys=3", null));
        assertEquals("/b/k?tagging&versionId=3HL4kqtJlcpXroDTDmJ",
                StringToSignV2.canonicalizedResource("/b/k", "versionId=3HL4kqtJlcpXroDTDmJ&tagging", null));
    }

    @Test
    void everySubResourceTheDocumentationNamesIsSigned() {
        for (String name : List.of("acl", "lifecycle", "location", "logging", "notification", "partNumber", "policy",
                "requestPayment", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
                "delete", "cors", "tagging", "restore", "response-content-type", "response-content-language",
                "response-expires", "response-cache-control", "response-content-disposition", "response-content-encoding")) {
            assertEquals("/b/k?" + name, StringToSignV2.canonicalizedResource("/b/k", name, null), name);
        }
    }

    @Test
    void parametersThatAreNoSubResourceAndTheSignatureItselfAreNotSigned() {
        assertEquals("/b/k", StringToSignV2.canonicalizedResource("/b/k",
                "AWSAccessKeyId=AK&Expires=1&Signature=abc%3D&prefix=p&list-type=2&encoding-type=url&x-id=GetObject&ACL", null));
    }

    @Test
    void aBucketIsSignedWithATrailingSlashHoweverItIsAddressed() {
        assertEquals("/bucket/", StringToSignV2.canonicalizedResource("/bucket", "prefix=a", null));
        assertEquals("/bucket/?acl", StringToSignV2.canonicalizedResource("/bucket", "acl", null));
        assertEquals("/bucket/?acl", StringToSignV2.canonicalizedResource("/bucket/", "acl", null));
        assertEquals("/bucket/", StringToSignV2.canonicalizedResource("/", null, "bucket"));
        assertEquals("/", StringToSignV2.canonicalizedResource("/", null, null));
    }

    @Test
    void aVirtualHostedRequestSignsItsBucketAndAnEmptyPathAsTheRoot() {
        assertEquals("/bucket/", StringToSignV2.canonicalizedResource("/", "max-keys=1", "bucket"));
        assertEquals("/", StringToSignV2.canonicalizedResource("", null, null));
    }

    @Test
    void amzHeadersAreTrimmedUnfoldedAndTheOthersLeftOut() {
        assertEquals("x-amz-meta-a:one, two,three\nx-amz-meta-b:folded value\n",
                StringToSignV2.canonicalizedAmzHeaders(headers(
                        "x-amz-meta-b", "  folded\r\n   value ",
                        "x-amz-meta-a", " one, two ",
                        "x-amz-meta-a", "three",
                        "content-type", "text/plain",
                        "x-amzfoo", "not an amz header"), Map.of()));
    }

    @Test
    void aPresignedUrlsHeaderParametersCountWhereTheRequestLacksTheHeader() {
        SignedRequest request = new SignedRequest("PUT", "/b/k",
                "AWSAccessKeyId=AK&Signature=s&content-type=text%2Fplain&x-amz-acl=private&Expires=10",
                headers("x-amz-meta-a", "1"));
        assertEquals("PUT\n\ntext/plain\n10\nx-amz-acl:private\nx-amz-meta-a:1\n/b/k",
                StringToSignV2.of(request, "10", Map.of("content-type", "text/plain", "x-amz-acl", "private")));
    }
}

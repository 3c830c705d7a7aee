package io.github.s3ite.server.auth;

import java.time.Clock;
import java.util.Map;

/**
 * The one place a request's signature is verified, before anything else reads it: Signature
 * Version 4 (header, presigned URL, aws-chunked body) or Signature Version 2 (header, presigned
 * URL), whichever the request carries. With no credentials configured every request is served
 * anonymously, unverified, whatever it carries.
 */
public final class Authenticator {
    private final boolean anonymous;
    private final SigV4Verifier sigV4;
    private final SigV2Verifier sigV2;

    /**
     * @param credentials access key to secret key; empty for anonymous access
     * @param region      the region a Signature Version 4 credential scope must name
     */
    public Authenticator(Map<String, String> credentials, String region, Clock clock) {
        this.anonymous = credentials.isEmpty();
        this.sigV4 = new SigV4Verifier(credentials, region, clock);
        this.sigV2 = new SigV2Verifier(credentials, clock);
    }

    /**
     * Verifies the request's signature and says how its body is to be read; a request that is not
     * (validly) signed is an {@link io.github.s3ite.server.error.S3Exception} with S3's error.
     */
    public Authentication verify(SignedRequest request) {
        if (!anonymous && SigV2Verifier.signs(request)) {
            return sigV2.verify(request);
        }
        return sigV4.verify(request);
    }

    /**
     * Verifies a browser form upload's POST policy (Signature Version 4 or 2), whose signature is in
     * the form's fields rather than the request's head.
     */
    public PostAuthentication verifyPost(String bucket, String key, Map<String, String> fields) {
        return sigV4.verifyPost(bucket, key, fields);
    }
}

package io.github.s3ite.server.auth;

/**
 * What the signatures of an aws-chunked body chain from: the signing key, the request's time and
 * credential scope, and the seed signature (the request's own).
 */
record SigningContext(byte[] signingKey, String amzDate, String scope, String seedSignature) {

    /** The signature of one chunk, chained from the previous one. */
    String chunkSignature(String previousSignature, String chunkSha256Hex) {
        String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n"
                + Hashing.EMPTY_SHA256 + "\n" + chunkSha256Hex;
        return Hashing.hex(Hashing.hmac(signingKey, stringToSign));
    }

    /** The signature of the trailing headers, chained from the final chunk's. */
    String trailerSignature(String previousSignature, String trailerSha256Hex) {
        String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n"
                + trailerSha256Hex;
        return Hashing.hex(Hashing.hmac(signingKey, stringToSign));
    }
}

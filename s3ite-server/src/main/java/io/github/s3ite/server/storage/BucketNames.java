package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;

/**
 * S3's bucket naming rules (general purpose buckets), checked before a name becomes a file name:
 * a valid name cannot contain a path separator or "..", so it never leaves the data directory.
 */
public final class BucketNames {

    private BucketNames() {
    }

    public static boolean isValid(String name) {
        return name != null
                && allowedCharacters(name)
                && !name.contains("..")
                && !name.contains(".-")
                && !name.contains("-.")
                && !isIpAddress(name)
                && !name.startsWith("xn--")
                && !name.startsWith("sthree-")
                && !name.endsWith("-s3alias")
                && !name.endsWith("--ol-s3")
                && !name.endsWith(".mrap")
                && !name.endsWith("--x-s3");
    }

    /**
     * 3 to 63 characters of {@code [a-z0-9.-]}, beginning and ending with a letter or digit; checked
     * by hand, as every request's bucket name is.
     */
    private static boolean allowedCharacters(String name) {
        int length = name.length();
        if (length < 3 || length > 63 || !letterOrDigit(name.charAt(0)) || !letterOrDigit(name.charAt(length - 1))) {
            return false;
        }
        for (int i = 1; i < length - 1; i++) {
            char c = name.charAt(i);
            if (!letterOrDigit(c) && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    /** Four groups of 1 to 3 digits separated by dots, like an IPv4 address. */
    private static boolean isIpAddress(String name) {
        int groups = 0;
        int digits = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
            } else if (c == '.' && digits > 0 && groups < 3) {
                groups++;
                digits = 0;
            } else {
                return false;
            }
        }
        return groups == 3 && digits > 0;
    }

    /** @throws S3Exception InvalidBucketName */
    public static void validate(String name) {
        if (!isValid(name)) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME).with("BucketName", name);
        }
    }
}

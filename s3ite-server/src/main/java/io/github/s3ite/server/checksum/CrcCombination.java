package io.github.s3ite.server.checksum;

/**
 * The CRC of two runs of bytes joined, from the CRC of each and the length of the second, without
 * the bytes: for the reflected CRCs S3 computes full-object checksums with (CRC32, CRC32C,
 * CRC64NVME), each with an initial value and final xor of all ones. Appending {@code n} bytes
 * multiplies the first run's register by x^(8n) modulo the polynomial, so that
 * {@code crc(a + b) = crc(a) * x^(8 len(b)) + crc(b)} in GF(2); the powers x^(2^k) are tabled
 * once, so a combination costs a few dozen polynomial multiplications.
 */
final class CrcCombination {
    private final int width;
    private final long polynomial;
    private final long mask;
    /** x^(2^k) modulo the polynomial, in the reflected bit order the CRC registers use. */
    private final long[] powers = new long[64];

    CrcCombination(int width, long reflectedPolynomial) {
        this.width = width;
        this.polynomial = reflectedPolynomial;
        this.mask = width == 64 ? -1L : (1L << width) - 1;
        long power = 1L << (width - 2);
        for (int k = 0; k < powers.length; k++) {
            powers[k] = power;
            power = multiply(power, power);
        }
    }

    /** The CRC of a run whose first part had {@code first} and whose second, {@code length} bytes long, {@code second}. */
    long combine(long first, long second, long length) {
        if (length == 0) {
            return first & mask;
        }
        return (multiply(shift(length), first & mask) ^ second) & mask;
    }

    /** x^(8 length) modulo the polynomial. */
    private long shift(long length) {
        long result = 1L << (width - 1);
        int k = 3;
        for (long n = length; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                result = multiply(powers[k], result);
            }
        }
        return result;
    }

    /** a * b modulo the polynomial; both non-zero, in reflected bit order (x^0 is the top bit). */
    private long multiply(long a, long b) {
        long bit = 1L << (width - 1);
        long product = 0;
        long multiplicand = b;
        while (true) {
            if ((a & bit) != 0) {
                product ^= multiplicand;
                if ((a & (bit - 1)) == 0) {
                    return product;
                }
            }
            bit >>>= 1;
            multiplicand = (multiplicand & 1) != 0 ? (multiplicand >>> 1) ^ polynomial : multiplicand >>> 1;
        }
    }
}

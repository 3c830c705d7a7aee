package io.github.s3ite.server.checksum;

import java.nio.ByteBuffer;

/**
 * CRC-64/NVME (the CRC64NVME of S3): reflected polynomial 0x9a6c9329ac4bc9b5, initial value and
 * final xor all ones. Table-driven, eight bytes at a time.
 */
public final class Crc64Nvme implements ChecksumDigest {
    private static final long POLYNOMIAL = 0x9a6c9329ac4bc9b5L;
    private static final long[][] TABLES = tables();

    private long crc = -1L;

    private static long[][] tables() {
        long[][] tables = new long[8][256];
        for (int n = 0; n < 256; n++) {
            long value = n;
            for (int bit = 0; bit < 8; bit++) {
                value = (value & 1) != 0 ? (value >>> 1) ^ POLYNOMIAL : value >>> 1;
            }
            tables[0][n] = value;
        }
        for (int n = 0; n < 256; n++) {
            for (int k = 1; k < 8; k++) {
                long previous = tables[k - 1][n];
                tables[k][n] = (previous >>> 8) ^ tables[0][(int) (previous & 0xff)];
            }
        }
        return tables;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        long value = crc;
        int i = offset;
        int end = offset + length;
        while (end - i >= 8) {
            long word = value
                    ^ ((bytes[i] & 0xffL)
                    | (bytes[i + 1] & 0xffL) << 8
                    | (bytes[i + 2] & 0xffL) << 16
                    | (bytes[i + 3] & 0xffL) << 24
                    | (bytes[i + 4] & 0xffL) << 32
                    | (bytes[i + 5] & 0xffL) << 40
                    | (bytes[i + 6] & 0xffL) << 48
                    | (bytes[i + 7] & 0xffL) << 56);
            value = TABLES[7][(int) (word & 0xff)]
                    ^ TABLES[6][(int) ((word >>> 8) & 0xff)]
                    ^ TABLES[5][(int) ((word >>> 16) & 0xff)]
                    ^ TABLES[4][(int) ((word >>> 24) & 0xff)]
                    ^ TABLES[3][(int) ((word >>> 32) & 0xff)]
                    ^ TABLES[2][(int) ((word >>> 40) & 0xff)]
                    ^ TABLES[1][(int) ((word >>> 48) & 0xff)]
                    ^ TABLES[0][(int) (word >>> 56)];
            i += 8;
        }
        while (i < end) {
            value = (value >>> 8) ^ TABLES[0][(int) ((value ^ bytes[i]) & 0xff)];
            i++;
        }
        crc = value;
    }

    /** The checksum so far as an unsigned 64-bit value. */
    public long value() {
        return ~crc;
    }

    @Override
    public byte[] digest() {
        return ByteBuffer.allocate(8).putLong(value()).array();
    }
}

package io.github.s3ite.server.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3Exception;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Check values of each algorithm, and S3's composite checksum. */
class ChecksumsTest {
    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    private static byte[] digest(ChecksumAlgorithm algorithm, byte[] bytes) {
        ChecksumDigest digest = algorithm.newDigest();
        digest.update(bytes, 0, bytes.length);
        return digest.digest();
    }

    private static long asLong(byte[] bytes) {
        return bytes.length == 4 ? ByteBuffer.wrap(bytes).getInt() & 0xffffffffL : ByteBuffer.wrap(bytes).getLong();
    }

    @Test
    void crcsMatchTheirCatalogueCheckValues() {
        assertEquals(0xcbf43926L, asLong(digest(ChecksumAlgorithm.CRC32, CHECK)));
        assertEquals(0xe3069283L, asLong(digest(ChecksumAlgorithm.CRC32C, CHECK)));
        assertEquals(0xae8b14860a799888L, asLong(digest(ChecksumAlgorithm.CRC64NVME, CHECK)));
        assertEquals(0L, asLong(digest(ChecksumAlgorithm.CRC64NVME, new byte[0])));
    }

    @Test
    void crc64IsTheSameWhateverTheSplit() {
        byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);
        byte[] whole = digest(ChecksumAlgorithm.CRC64NVME, data);
        for (int split : new int[] {0, 1, 7, 8, 9, 4095, 9999}) {
            ChecksumDigest digest = ChecksumAlgorithm.CRC64NVME.newDigest();
            digest.update(data, 0, split);
            digest.update(data, split, data.length - split);
            assertEquals(asLong(whole), asLong(digest.digest()), "split at " + split);
        }
    }

    @Test
    void shaDigestsHaveTheirLengths() {
        assertEquals(20, digest(ChecksumAlgorithm.SHA1, CHECK).length);
        assertEquals(32, digest(ChecksumAlgorithm.SHA256, CHECK).length);
        assertEquals("x-amz-checksum-crc64nvme", ChecksumAlgorithm.CRC64NVME.headerName());
        assertEquals(ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.fromName("crc32c"));
        assertEquals(ChecksumAlgorithm.SHA256, ChecksumAlgorithm.fromHeaderName("x-amz-checksum-sha256"));
    }

    @Test
    void compositeIsTheChecksumOfPartChecksumsWithThePartCount() {
        byte[] a = digest(ChecksumAlgorithm.CRC32, "part one".getBytes(StandardCharsets.UTF_8));
        byte[] b = digest(ChecksumAlgorithm.CRC32, "part two".getBytes(StandardCharsets.UTF_8));
        byte[] joined = ByteBuffer.allocate(8).put(a).put(b).array();
        assertEquals(Checksums.base64(digest(ChecksumAlgorithm.CRC32, joined)) + "-2",
                Checksums.composite(ChecksumAlgorithm.CRC32, List.of(a, b)));
    }

    @Test
    void badBase64OrWrongLengthIsRefused() {
        assertThrows(S3Exception.class, () -> Checksums.fromBase64("not base64!", ChecksumAlgorithm.CRC32));
        assertThrows(S3Exception.class, () -> Checksums.fromBase64("AAAAAAAAAAA=", ChecksumAlgorithm.CRC32));
    }

    @Test
    void aFullObjectChecksumOfPartsIsTheChecksumOfTheirBytesJoined() {
        byte[] data = new byte[200_003];
        new Random(11).nextBytes(data);
        int[][] splits = {{data.length}, {0, data.length}, {1, data.length - 1}, {100_000, 3, 0, 100_000},
            {65_536, 65_536, 68_931}};
        for (ChecksumAlgorithm algorithm : new ChecksumAlgorithm[] {
            ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME}) {
            for (int[] split : splits) {
                List<byte[]> checksums = new java.util.ArrayList<>();
                List<Long> sizes = new java.util.ArrayList<>();
                int offset = 0;
                for (int size : split) {
                    checksums.add(digest(algorithm, java.util.Arrays.copyOfRange(data, offset, offset + size)));
                    sizes.add((long) size);
                    offset += size;
                }
                assertEquals(asLong(digest(algorithm, data)), asLong(Checksums.fullObject(algorithm, checksums, sizes)),
                        algorithm + " " + java.util.Arrays.toString(split));
            }
        }
    }
}

package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.checksum.ChecksumAlgorithm;
import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.checksum.Checksums;
import io.github.s3ite.server.error.S3Exception;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules and arithmetic of CompleteMultipartUpload, without a bucket file. */
class MultipartAssemblyTest {
    private static final int MIB = 1024 * 1024;

    private static UploadInfo upload(String algorithm, ChecksumType type) {
        return new UploadInfo("9d2f6c3e-7a8b-4c1d-9e0f-123456789abc", "key", Instant.EPOCH, null, Map.of(),
                ObjectHeaders.NONE, Map.of(), algorithm, type);
    }

    private static byte[] bytes(int size, int seed) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + seed);
        }
        return data;
    }

    private static String md5Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static PartInfo part(int number, byte[] bytes) throws Exception {
        return new PartInfo(number, md5Hex(bytes), bytes.length, Instant.EPOCH, null);
    }

    @Test
    void partsJoinInTheirOrderWithTheMultipartETagAndTheirBoundaries() throws Exception {
        byte[] first = bytes(5 * MIB, 1);
        byte[] last = bytes(1000, 2);
        PartInfo one = part(1, first);
        PartInfo three = part(3, last);
        MultipartAssembly assembly = MultipartAssembly.start(upload(null, null),
                List.of(new CompletedPart(1, one.etag(), null), new CompletedPart(3, three.etag(), null)),
                Map.of(1, one, 3, three));
        assembly.add(one, first);
        assembly.add(three, last);
        MultipartAssembly.Assembled object = assembly.finish();

        byte[] whole = new byte[first.length + last.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(last, 0, whole, first.length, last.length);
        assertArrayEquals(whole, object.value());
        assertEquals(md5Hex(whole), object.md5());
        byte[] md5s = HexFormat.of().parseHex(one.etag() + three.etag());
        assertEquals(md5Hex(md5s) + "-2", object.etag());
        assertEquals(List.of(new ObjectPart(1, 0, first.length, one.etag(), null),
                new ObjectPart(3, first.length, last.length, three.etag(), null)), object.parts());
        assertEquals(ChecksumAlgorithm.CRC64NVME.name(), object.checksum().algorithm());
        assertEquals(ChecksumType.FULL_OBJECT, object.checksum().type());
    }

    @Test
    void aCompositeUploadGetsTheChecksumOfItsPartsChecksums() throws Exception {
        byte[] first = bytes(5 * MIB, 3);
        byte[] last = bytes(10, 4);
        PartInfo one = part(1, first);
        PartInfo two = part(2, last);
        MultipartAssembly assembly = MultipartAssembly.start(upload("CRC32", ChecksumType.COMPOSITE),
                List.of(new CompletedPart(1, one.etag(), null), new CompletedPart(2, two.etag(), null)),
                Map.of(1, one, 2, two));
        assembly.add(one, first);
        assembly.add(two, last);
        StoredChecksum checksum = assembly.finish().checksum();

        assertEquals(ChecksumType.COMPOSITE, checksum.type());
        org.junit.jupiter.api.Assertions.assertTrue(checksum.value().endsWith("-2"), checksum.value());
        assertEquals(Checksums.composite(ChecksumAlgorithm.CRC32,
                List.of(MultipartAssembly.digest(ChecksumAlgorithm.CRC32, first),
                        MultipartAssembly.digest(ChecksumAlgorithm.CRC32, last))), checksum.value());
    }

    @Test
    void theRulesOfWhichPartsMayBeNamed() throws Exception {
        PartInfo small = part(1, bytes(100, 5));
        PartInfo big = part(2, bytes(5 * MIB, 6));
        UploadInfo upload = upload(null, null);
        Map<Integer, PartInfo> stored = Map.of(1, small, 2, big);

        assertEquals("InvalidPartOrder", code(() -> MultipartAssembly.start(upload,
                List.of(new CompletedPart(2, big.etag(), null), new CompletedPart(1, small.etag(), null)), stored)));
        assertEquals("InvalidPart", code(() -> MultipartAssembly.start(upload,
                List.of(new CompletedPart(3, big.etag(), null)), stored)));
        assertEquals("InvalidPart", code(() -> MultipartAssembly.start(upload,
                List.of(new CompletedPart(2, small.etag(), null)), stored)));
        assertEquals("EntityTooSmall", code(() -> MultipartAssembly.start(upload,
                List.of(new CompletedPart(1, small.etag(), null), new CompletedPart(2, big.etag(), null)), stored)));
        PartInfo huge = new PartInfo(1, big.etag(), BucketFile.MAX_OBJECT_SIZE, Instant.EPOCH, null);
        PartInfo more = new PartInfo(2, small.etag(), 1, Instant.EPOCH, null);
        assertEquals("EntityTooLarge", code(() -> MultipartAssembly.start(upload,
                List.of(new CompletedPart(1, big.etag(), null), new CompletedPart(2, small.etag(), null)),
                Map.of(1, huge, 2, more))));
    }

    @Test
    void anSseCUploadsPartsBecomeSegmentsAndItsChecksumComesFromThePlaintextCrcs() throws Exception {
        byte[] firstPlain = bytes(5 * MIB + 3, 7);
        byte[] lastPlain = bytes(100, 8);
        // stand-ins for ciphertext: what matters is that no checksum is taken of them
        byte[] firstStored = bytes(firstPlain.length, 9);
        byte[] lastStored = bytes(lastPlain.length, 10);
        PartInfo one = part(1, firstStored);
        PartInfo two = part(2, lastStored);
        byte[] firstIv = bytes(16, 11);
        byte[] lastIv = bytes(16, 12);
        MultipartAssembly assembly = MultipartAssembly.start(upload(null, null),
                List.of(new CompletedPart(1, one.etag(), null), new CompletedPart(2, two.etag(), null)),
                Map.of(1, one, 2, two), true);
        assembly.add(one, firstStored, new PartEncryption(firstIv, crc64(firstPlain)));
        assembly.add(two, lastStored, new PartEncryption(lastIv, crc64(lastPlain)));
        MultipartAssembly.Assembled object = assembly.finish();

        assertEquals(2, object.segments().size());
        assertEquals(0, object.segments().get(0).offset());
        assertArrayEquals(firstIv, object.segments().get(0).iv());
        assertEquals(firstPlain.length, object.segments().get(1).offset());
        assertArrayEquals(lastIv, object.segments().get(1).iv());
        byte[] plain = new byte[firstPlain.length + lastPlain.length];
        System.arraycopy(firstPlain, 0, plain, 0, firstPlain.length);
        System.arraycopy(lastPlain, 0, plain, firstPlain.length, lastPlain.length);
        assertEquals(crc64(plain), object.checksum().value());
        assertEquals(ChecksumType.FULL_OBJECT, object.checksum().type());
        // a checksum its parts have none of cannot be had without the key
        assertNull(object.fullObjectChecksum(ChecksumAlgorithm.CRC32));

        MultipartAssembly unsealed = MultipartAssembly.start(upload(null, null),
                List.of(new CompletedPart(1, two.etag(), null)), Map.of(1, new PartInfo(1, two.etag(), 100,
                        Instant.EPOCH, null)), true);
        assertEquals("InvalidPart", code(() -> unsealed.add(new PartInfo(1, two.etag(), 100, Instant.EPOCH, null),
                lastStored, null)));
    }

    private static String crc64(byte[] bytes) {
        return Checksums.base64(MultipartAssembly.digest(ChecksumAlgorithm.CRC64NVME, bytes));
    }

    private static String code(Runnable completion) {
        return assertThrows(S3Exception.class, completion::run).error().code();
    }
}

package io.github.s3ite.benchmarks.perclass;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.S3iteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The test classes {@link PerTestClassProbe} runs: the same three trivial test methods in each, so
 * that what a class costs beyond the class without s3ite ({@link NoExtension}) is what s3ite and the
 * injected type cost it. Each s3ite class declares one empty bucket, as most suites do, and injects
 * one type into each of its methods (one instance per server, made at the first injection).
 */
public final class SampleTestClasses {
    private SampleTestClasses() {
    }

    /** The floor: JUnit alone. */
    public static class NoExtension {
        @Test
        void first() {
            assertNotNull(this);
        }

        @Test
        void second() {
            assertNotNull(this);
        }

        @Test
        void third() {
            assertNotNull(this);
        }
    }

    /** The extension, a server and a bucket, nothing injected. */
    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "bench")
    public static class NothingInjected {
        @Test
        void first() {
            assertNotNull(this);
        }

        @Test
        void second() {
            assertNotNull(this);
        }

        @Test
        void third() {
            assertNotNull(this);
        }
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "bench")
    public static class InjectsServer {
        @Test
        void first(S3iteServer server) {
            assertNotNull(server);
        }

        @Test
        void second(S3iteServer server) {
            assertNotNull(server);
        }

        @Test
        void third(S3iteServer server) {
            assertNotNull(server);
        }
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "bench")
    public static class InjectsS3Client {
        @Test
        void first(S3Client s3) {
            assertNotNull(s3);
        }

        @Test
        void second(S3Client s3) {
            assertNotNull(s3);
        }

        @Test
        void third(S3Client s3) {
            assertNotNull(s3);
        }
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "bench")
    public static class InjectsS3AsyncClient {
        @Test
        void first(S3AsyncClient s3) {
            assertNotNull(s3);
        }

        @Test
        void second(S3AsyncClient s3) {
            assertNotNull(s3);
        }

        @Test
        void third(S3AsyncClient s3) {
            assertNotNull(s3);
        }
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "bench")
    public static class InjectsS3Presigner {
        @Test
        void first(S3Presigner presigner) {
            assertNotNull(presigner);
        }

        @Test
        void second(S3Presigner presigner) {
            assertNotNull(presigner);
        }

        @Test
        void third(S3Presigner presigner) {
            assertNotNull(presigner);
        }
    }

    /** Every type at once. */
    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "bench")
    public static class InjectsEveryType {
        @Test
        void first(S3iteServer server, S3Client s3, S3AsyncClient async, S3Presigner presigner) {
            assertNotNull(presigner);
        }

        @Test
        void second(S3iteServer server, S3Client s3, S3AsyncClient async, S3Presigner presigner) {
            assertNotNull(presigner);
        }

        @Test
        void third(S3iteServer server, S3Client s3, S3AsyncClient async, S3Presigner presigner) {
            assertNotNull(presigner);
        }
    }
}

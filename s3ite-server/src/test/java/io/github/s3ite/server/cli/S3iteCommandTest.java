package io.github.s3ite.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The standalone command line: options, help, version, clean shutdown, read-only. */
class S3iteCommandTest {

    private static S3Client client(StandaloneProcess server, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(() -> AwsBasicCredentials.create(accessKey, secretKey))
                .forcePathStyle(true)
                .build();
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void helpNamesEveryOption() {
        CommandRun help = run("--help");
        assertEquals(0, help.exitCode());
        for (String option : new String[] {"DIR", "--host", "--port", "--access-key", "--secret-key", "--domain-name",
            "--read-only", "--permissive-cors", "--memory-budget", "--range-cache", "--max-connections", "--journal-size", "--admin",
            "--lifecycle-interval", "import", "export",
            "inspect"}) {
            assertTrue(help.out().contains(option), option + " in:\n" + help.out());
        }
    }

    @Test
    void importExportAndInspectRoundTripADirectory(@TempDir Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("site"));
        Files.writeString(source.resolve("index.html"), "<h1>hi</h1>");
        Files.createDirectories(source.resolve("data/2026"));
        Files.write(source.resolve("data/2026/report.json"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("site.sqlite3");

        CommandRun imported = run("import", source.toString(), file.toString());
        assertEquals(0, imported.exitCode(), imported.err());
        assertTrue(imported.out().contains("Imported 2 objects"), imported.out());

        CommandRun inspected = run("inspect", file.toString());
        assertEquals(0, inspected.exitCode(), inspected.err());
        assertTrue(inspected.out().contains("data/2026/report.json") && inspected.out().contains("2 objects, 18 bytes"),
                inspected.out());

        Path back = dir.resolve("back");
        CommandRun exported = run("export", file.toString(), back.toString());
        assertEquals(0, exported.exitCode(), exported.err());
        assertEquals("<h1>hi</h1>", Files.readString(back.resolve("index.html")));
        assertEquals("{\"n\":1}", Files.readString(back.resolve("data/2026/report.json")));

        try (StandaloneProcess server = new StandaloneProcess(dir, "--read-only");
             S3Client s3 = client(server, "any", "any")) {
            assertEquals("application/json", s3.headObject(b -> b.bucket("site").key("data/2026/report.json")).contentType());
            assertEquals("text/html", s3.headObject(b -> b.bucket("site").key("index.html")).contentType());
        }
    }

    @Test
    void inspectingAMissingFileIsAnErrorNamingIt(@TempDir Path dir) {
        CommandRun run = run("inspect", dir.resolve("nope.sqlite3").toString());
        assertNotEquals(0, run.exitCode());
        assertTrue(run.err().contains("nope.sqlite3"), run.err());
    }

    @Test
    void versionPrintsTheName() {
        CommandRun version = run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("s3ite "), version.out());
    }

    @Test
    void anAccessKeyWithoutASecretIsAUsageError(@TempDir Path dir) {
        CommandRun run = run(dir.toString(), "--access-key", "only-key");
        assertNotEquals(0, run.exitCode());
        assertTrue(run.err().contains("--secret-key"), run.err());
    }

    @Test
    void servesUntilSigtermThenStopsCleanlyLeavingNoWal(@TempDir Path dir) throws Exception {
        int exit;
        try (StandaloneProcess server = new StandaloneProcess(dir, "--access-key", "key", "--secret-key", "secret")) {
            assertTrue(server.endpoint().toString().startsWith("http://127.0.0.1:"), server.endpoint().toString());
            try (S3Client s3 = client(server, "key", "secret")) {
                s3.createBucket(b -> b.bucket("standalone"));
                s3.putObject(b -> b.bucket("standalone").key("k"), RequestBody.fromString("v"));
                assertEquals("v", s3.getObjectAsBytes(b -> b.bucket("standalone").key("k")).asUtf8String());
            }
            exit = server.terminate();
        }
        assertEquals(143, exit, "SIGTERM ends the JVM with 128 + 15 once the shutdown hook has run");
        assertTrue(Files.exists(dir.resolve("standalone.sqlite3")));
        assertFalse(Files.exists(dir.resolve("standalone.sqlite3-wal")), "the -wal is checkpointed and removed at stop");
    }

    @Test
    void userOptionsAddUsersEachOwningItsOwnBuckets(@TempDir Path dir) throws Exception {
        try (StandaloneProcess server = new StandaloneProcess(dir, "--access-key", "key", "--secret-key", "secret",
                "--user", "bob:bob-secret");
             S3Client owner = client(server, "key", "secret");
             S3Client bob = client(server, "bob", "bob-secret")) {
            owner.createBucket(b -> b.bucket("owners"));
            bob.createBucket(b -> b.bucket("bobs"));
            bob.putObject(b -> b.bucket("bobs").key("k"), RequestBody.fromString("v"));
            software.amazon.awssdk.services.s3.model.S3Exception refused = org.junit.jupiter.api.Assertions.assertThrows(
                    software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> bob.putObject(b -> b.bucket("owners").key("k"), RequestBody.fromString("v")));
            assertEquals(403, refused.statusCode());
            assertEquals(java.util.List.of("bobs"), bob.listBuckets().buckets().stream()
                    .map(software.amazon.awssdk.services.s3.model.Bucket::name).toList());
        }
    }

    @Test
    void aUserOptionWithoutASecretIsAUsageError(@TempDir Path dir) {
        CommandRun run = run(dir.toString(), "--user", "bob");
        assertNotEquals(0, run.exitCode());
        assertTrue(run.err().contains("ACCESS_KEY:SECRET_KEY"), run.err());
    }

    @Test
    void a100MiBObjectPutsAndGetsWithTheDefaultHeap(@TempDir Path dir) throws Exception {
        byte[] big = new byte[100 * 1024 * 1024];
        for (int i = 0; i < big.length; i += 4096) {
            big[i] = (byte) (i / 4096);
        }
        try (StandaloneProcess server = new StandaloneProcess(dir, "--access-key", "key", "--secret-key", "secret");
             S3Client s3 = client(server, "key", "secret")) {
            s3.createBucket(b -> b.bucket("large"));
            s3.putObject(b -> b.bucket("large").key("100mib.bin"), RequestBody.fromBytes(big));
            byte[] back = s3.getObjectAsBytes(b -> b.bucket("large").key("100mib.bin")).asByteArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(big, back);
        }
    }

    @Test
    void readOnlyFlagRefusesWrites(@TempDir Path dir) throws Exception {
        try (StandaloneProcess writer = new StandaloneProcess(dir)) {
            try (S3Client s3 = client(writer, "any", "any")) {
                s3.createBucket(b -> b.bucket("fixed"));
            }
        }
        try (StandaloneProcess server = new StandaloneProcess(dir, "--read-only")) {
            assertTrue(server.output().contains("read-only"), server.output());
            try (S3Client s3 = client(server, "any", "any")) {
                S3Exception error = org.junit.jupiter.api.Assertions.assertThrows(S3Exception.class,
                        () -> s3.putObject(b -> b.bucket("fixed").key("k"), RequestBody.fromString("v")));
                assertEquals("AccessDenied", error.awsErrorDetails().errorCode());
                assertTrue(s3.listObjectsV2(b -> b.bucket("fixed")).contents().isEmpty());
            }
        }
    }

    @Test
    void adminFlagServesTheJournalAndTakesFaultsOverHttp(@TempDir Path dir) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (StandaloneProcess server = new StandaloneProcess(dir, "--admin", "--memory-budget", "64m",
                "--max-connections", "50");
             S3Client s3 = client(server, "any", "any")) {
            java.net.URI faults = java.net.URI.create(server.endpoint() + "/_s3ite/faults");
            var added = http.send(java.net.http.HttpRequest.newBuilder(faults).POST(java.net.http.HttpRequest
                    .BodyPublishers.ofString("{\"kind\":\"ERROR\",\"status\":409,\"errorCode\":\"OperationAborted\","
                            + "\"operation\":\"CreateBucket\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(204, added.statusCode(), added.body());
            S3Exception aborted = org.junit.jupiter.api.Assertions.assertThrows(S3Exception.class,
                    () -> s3.createBucket(b -> b.bucket("never")));
            assertEquals("OperationAborted", aborted.awsErrorDetails().errorCode());
            var journal = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.endpoint() + "/_s3ite/requests")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(journal.body().contains("\"operation\":\"CreateBucket\""), journal.body());
        }
    }

    @Test
    void aMemoryBudgetThatIsNotASizeIsRefused() {
        CommandRun bad = run("data", "--memory-budget", "lots");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("not a size in bytes"), bad.err());
    }

    @Test
    void theRangeCacheTakesASizeOrZero() {
        S3iteCommand command = new S3iteCommand();
        new picocli.CommandLine(command).parseArgs("data", "--range-cache", "0");
        assertEquals(0L, command.rangeCache);
        new picocli.CommandLine(command).parseArgs("data", "--range-cache", "256m");
        assertEquals(256L * 1024 * 1024, command.rangeCache);
        CommandRun bad = run("data", "--range-cache", "lots");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().contains("not a size in bytes"), bad.err());
    }

    private static boolean permissiveCors(String... args) {
        S3iteCommand command = new S3iteCommand();
        new picocli.CommandLine(command).parseArgs(args);
        return command.permissiveCors;
    }

    @Test
    void permissiveCorsIsOnByDefaultAndTurnsOffWithFalse() {
        assertTrue(permissiveCors("data"));
        assertTrue(permissiveCors("data", "--permissive-cors"));
        assertTrue(permissiveCors("data", "--permissive-cors=true"));
        org.junit.jupiter.api.Assertions.assertFalse(permissiveCors("data", "--permissive-cors=false"));
        org.junit.jupiter.api.Assertions.assertFalse(permissiveCors("data", "--permissive-cors", "false"));
        CommandRun bad = run("data", "--permissive-cors=maybe");
        assertNotEquals(0, bad.exitCode());
    }

    private static java.time.Duration lifecycleInterval(String... args) {
        S3iteCommand command = new S3iteCommand();
        new picocli.CommandLine(command).parseArgs(args);
        return command.lifecycleInterval;
    }

    @Test
    void theLifecycleIntervalIsAnHourUnlessToldAndZeroTurnsItOff() {
        assertEquals(java.time.Duration.ofHours(1), lifecycleInterval("data"));
        assertEquals(java.time.Duration.ofMinutes(30), lifecycleInterval("data", "--lifecycle-interval", "30m"));
        assertEquals(java.time.Duration.ofSeconds(90), lifecycleInterval("data", "--lifecycle-interval=90s"));
        assertEquals(java.time.Duration.ofDays(2), lifecycleInterval("data", "--lifecycle-interval", "2d"));
        assertEquals(java.time.Duration.ofHours(6), lifecycleInterval("data", "--lifecycle-interval", "PT6H"));
        assertEquals(java.time.Duration.ZERO, lifecycleInterval("data", "--lifecycle-interval", "0"));
        for (String bad : new String[] {"soon", "-1h", "5", "1w", "h"}) {
            CommandRun refused = run("data", "--lifecycle-interval", bad);
            assertNotEquals(0, refused.exitCode(), bad);
            assertTrue(refused.err().contains("not a duration"), refused.err());
        }
    }

    @Test
    void theStandaloneServerAnswersPreflightsPermissivelyUnlessTold(@TempDir Path dir) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<StandaloneProcess, java.net.http.HttpRequest> preflight = server ->
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.endpoint() + "/pictures/cat.jpg"))
                        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "http://localhost:3000")
                        .header("Access-Control-Request-Method", "PUT")
                        .header("Access-Control-Request-Headers", "content-type").build();
        try (StandaloneProcess server = new StandaloneProcess(dir, "--access-key", "AK", "--secret-key", "SK");
             S3Client s3 = client(server, "AK", "SK")) {
            s3.createBucket(b -> b.bucket("pictures"));
            var answer = http.send(preflight.apply(server), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("http://localhost:3000", answer.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
        try (StandaloneProcess server = new StandaloneProcess(dir, "--permissive-cors=false")) {
            var answer = http.send(preflight.apply(server), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(403, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("CORS is not enabled for this bucket."), answer.body());
        }
    }
}

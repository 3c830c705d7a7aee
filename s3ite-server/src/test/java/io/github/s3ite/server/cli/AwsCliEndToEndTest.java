package io.github.s3ite.server.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed {@code aws} cli against the standalone server: a second, independent S3 client
 * (botocore) with its own signing, chunking and multipart code.
 */
class AwsCliEndToEndTest {
    private static final String ACCESS_KEY = "AKIACLITEST";
    private static final String SECRET_KEY = "cli-test-secret";

    @BeforeAll
    static void requireAwsCli() {
        assumeTrue(awsCliInstalled(), "the aws cli is not installed on this machine: install it (pip install awscli) to run this test");
    }

    private static boolean awsCliInstalled() {
        try {
            Process process = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result aws(StandaloneProcess server, Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("aws");
        command.add("--endpoint-url");
        command.add(server.endpoint().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        env.remove("AWS_PROFILE");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("aws " + String.join(" ", args) + " hung");
        }
        return new Result(process.exitValue(), output);
    }

    private static String ok(StandaloneProcess server, Path home, String... args) throws Exception {
        Result result = aws(server, home, args);
        assertEquals(0, result.exitCode(), "aws " + String.join(" ", args) + " failed:\n" + result.output()
                + "\nserver:\n" + server.output());
        return result.output();
    }

    @Test
    void highLevelCommandsWorkIncludingAMultipartUpload(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("config"), "[default]\ns3 =\n    multipart_threshold = 8MB\n    multipart_chunksize = 5MB\n");
        Path local = Files.createDirectories(dir.resolve("local"));
        byte[] big = new byte[13 * 1024 * 1024 + 11];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251);
        }
        Files.write(local.resolve("big.bin"), big);
        Files.writeString(local.resolve("small.txt"), "small file");
        Files.createDirectories(local.resolve("nested/deeper"));
        Files.writeString(local.resolve("nested/deeper/leaf.txt"), "leaf");

        try (StandaloneProcess server = new StandaloneProcess(data, "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY)) {
            ok(server, home, "s3", "mb", "s3://cli-bucket");
            assertTrue(Files.exists(data.resolve("cli-bucket.sqlite3")));
            ok(server, home, "s3", "cp", local.resolve("big.bin").toString(), "s3://cli-bucket/big.bin");
            String etag = ok(server, home, "s3api", "head-object", "--bucket", "cli-bucket", "--key", "big.bin");
            assertTrue(etag.contains("-3\\\""), "a multipart ETag of 3 parts: " + etag);
            ok(server, home, "s3", "sync", local.toString(), "s3://cli-bucket/synced/");
            String listing = ok(server, home, "s3", "ls", "--recursive", "s3://cli-bucket/");
            assertTrue(listing.contains("synced/nested/deeper/leaf.txt"), listing);
            assertTrue(listing.contains("big.bin"), listing);

            Path back = dir.resolve("back");
            ok(server, home, "s3", "cp", "s3://cli-bucket/big.bin", back.resolve("big.bin").toString());
            assertArrayEquals(big, Files.readAllBytes(back.resolve("big.bin")));
            ok(server, home, "s3", "sync", "s3://cli-bucket/synced/", back.resolve("synced").toString());
            assertEquals("leaf", Files.readString(back.resolve("synced/nested/deeper/leaf.txt")));

            ok(server, home, "s3", "rm", "--recursive", "s3://cli-bucket/synced/");
            String after = ok(server, home, "s3", "ls", "--recursive", "s3://cli-bucket/");
            assertFalse(after.contains("synced/"), after);
            ok(server, home, "s3", "rm", "s3://cli-bucket/big.bin");
            ok(server, home, "s3", "rb", "s3://cli-bucket");
            assertFalse(Files.exists(data.resolve("cli-bucket.sqlite3")));
        }
    }

    @Test
    void s3apiCallsAndErrorsWork(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("config"), "[default]\n");
        Path body = dir.resolve("body.txt");
        Files.writeString(body, "api body");
        try (StandaloneProcess server = new StandaloneProcess(data, "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY)) {
            ok(server, home, "s3api", "create-bucket", "--bucket", "api-bucket");
            ok(server, home, "s3api", "put-object", "--bucket", "api-bucket", "--key", "dir/doc.txt", "--body",
                    body.toString(), "--content-type", "text/plain", "--metadata", "owner=cli", "--tagging", "a=1");
            String head = ok(server, home, "s3api", "head-object", "--bucket", "api-bucket", "--key", "dir/doc.txt");
            assertTrue(head.contains("text/plain") && head.contains("\"owner\": \"cli\""), head);
            String tags = ok(server, home, "s3api", "get-object-tagging", "--bucket", "api-bucket", "--key", "dir/doc.txt");
            assertTrue(tags.contains("\"Key\": \"a\""), tags);
            String list = ok(server, home, "s3api", "list-objects-v2", "--bucket", "api-bucket", "--delimiter", "/");
            assertTrue(list.contains("\"Prefix\": \"dir/\""), list);
            String versions = ok(server, home, "s3api", "list-object-versions", "--bucket", "api-bucket");
            assertTrue(versions.contains("\"VersionId\": \"null\""), versions);
            ok(server, home, "s3api", "get-bucket-versioning", "--bucket", "api-bucket");
            ok(server, home, "s3api", "get-bucket-location", "--bucket", "api-bucket");
            ok(server, home, "s3api", "copy-object", "--bucket", "api-bucket", "--key", "copy.txt",
                    "--copy-source", "api-bucket/dir/doc.txt");
            Path out = dir.resolve("out.txt");
            ok(server, home, "s3api", "get-object", "--bucket", "api-bucket", "--key", "copy.txt", out.toString());
            assertEquals("api body", Files.readString(out));
            String upload = ok(server, home, "s3api", "create-multipart-upload", "--bucket", "api-bucket", "--key", "mp");
            assertTrue(upload.contains("UploadId"), upload);
            String uploads = ok(server, home, "s3api", "list-multipart-uploads", "--bucket", "api-bucket");
            assertTrue(uploads.contains("\"Key\": \"mp\""), uploads);

            Result missing = aws(server, home, "s3api", "get-object", "--bucket", "api-bucket", "--key", "nope",
                    dir.resolve("nope").toString());
            assertTrue(missing.exitCode() != 0, missing.output());
            assertTrue(missing.output().contains("NoSuchKey"), missing.output());
        }
    }

    @Test
    void s3apiVersioningCommandsWork(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("config"), "[default]\n");
        Path first = dir.resolve("first.txt");
        Files.writeString(first, "first");
        Path second = dir.resolve("second.txt");
        Files.writeString(second, "second");
        try (StandaloneProcess server = new StandaloneProcess(data, "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY)) {
            ok(server, home, "s3api", "create-bucket", "--bucket", "versioned");
            ok(server, home, "s3api", "put-bucket-versioning", "--bucket", "versioned",
                    "--versioning-configuration", "Status=Enabled");
            String state = ok(server, home, "s3api", "get-bucket-versioning", "--bucket", "versioned");
            assertTrue(state.contains("\"Status\": \"Enabled\""), state);
            String v1 = versionId(ok(server, home, "s3api", "put-object", "--bucket", "versioned", "--key", "doc.txt",
                    "--body", first.toString()));
            String v2 = versionId(ok(server, home, "s3api", "put-object", "--bucket", "versioned", "--key", "doc.txt",
                    "--body", second.toString()));
            String versions = ok(server, home, "s3api", "list-object-versions", "--bucket", "versioned");
            assertTrue(versions.indexOf(v2) >= 0 && versions.indexOf(v2) < versions.indexOf(v1), versions);
            Path out = dir.resolve("out.txt");
            String got = ok(server, home, "s3api", "get-object", "--bucket", "versioned", "--key", "doc.txt",
                    "--version-id", v1, out.toString());
            assertTrue(got.contains(v1), got);
            assertEquals("first", Files.readString(out));
            String marker = ok(server, home, "s3api", "delete-object", "--bucket", "versioned", "--key", "doc.txt");
            assertTrue(marker.contains("\"DeleteMarker\": true"), marker);
            String removed = ok(server, home, "s3api", "delete-object", "--bucket", "versioned", "--key", "doc.txt",
                    "--version-id", versionId(marker));
            assertTrue(removed.contains(versionId(marker)), removed);
            ok(server, home, "s3api", "delete-object", "--bucket", "versioned", "--key", "doc.txt", "--version-id", v2);
            ok(server, home, "s3api", "get-object", "--bucket", "versioned", "--key", "doc.txt", out.toString());
            assertEquals("first", Files.readString(out));
            Result gone = aws(server, home, "s3api", "get-object", "--bucket", "versioned", "--key", "doc.txt",
                    "--version-id", v2, out.toString());
            assertTrue(gone.exitCode() != 0 && gone.output().contains("NoSuchVersion"), gone.output());
        }
    }

    private static String versionId(String json) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"VersionId\": \"([0-9A-Za-z]{32})\"")
                .matcher(json);
        assertTrue(matcher.find(), json);
        return matcher.group(1);
    }
}

package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.JarURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteNativeLibraryTest {

    @Test
    void sqliteLoadsItsLibraryFromOneCopyInADirectoryOfThisUsersOwn(@TempDir Path directory) throws Exception {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).equals("linux")
                && (arch.equals("amd64") || arch.equals("aarch64")) && !Files.exists(Path.of("/lib/ld-musl-x86_64.so.1")),
                "the copy is made on Linux with glibc");
        try (BucketStore store = new BucketStore(directory, false, false)) {
            store.resetBucket("opened");
        }
        assertTrue(org.sqlite.SQLiteJDBCLoader.isNativeMode());
        Path copyDirectory = Path.of(System.getProperty("org.sqlite.lib.path"));
        Path library = copyDirectory.resolve(System.getProperty("org.sqlite.lib.name"));
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toRealPath(), copyDirectory.getParent().getParent().toRealPath());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copyDirectory)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copyDirectory.getParent())));
        JarURLConnection entry = (JarURLConnection) SqliteNativeLibraryTest.class.getClassLoader()
                .getResource("org/sqlite/native/Linux/" + (arch.equals("amd64") ? "x86_64" : arch) + "/libsqlitejdbc.so")
                .openConnection();
        assertEquals(entry.getJarEntry().getSize(), Files.size(library));
        assertEquals(Long.toHexString(entry.getJarEntry().getCrc()) + "-" + entry.getJarEntry().getSize(),
                copyDirectory.getFileName().toString());
        assertEquals(copyDirectory.toString(), System.getProperty("org.sqlite.tmpdir"));
    }
}

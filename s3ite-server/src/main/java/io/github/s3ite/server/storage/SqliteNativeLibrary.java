package io.github.s3ite.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * Lets every JVM on this machine load sqlite-jdbc's native library from one copy, extracted once.
 *
 * <p>Left alone, sqlite-jdbc, on the first connection of each JVM, lists {@code java.io.tmpdir} to
 * delete stale copies, runs {@code uname -o} in a child process (to tell Android apart), extracts
 * its 1 MB library to a new file with a random name and reads both back byte by byte to compare
 * them: a large part of a cold start. It takes a library it need not extract from the system
 * properties {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name}, which this class sets,
 * once per JVM and only where none of sqlite-jdbc's properties is set, to a copy of the very
 * library of the sqlite-jdbc on the classpath (named by the CRC-32 and size of its jar entry):
 * {@code <java.io.tmpdir>/s3ite-native-<user>/<crc>-<size>/}. The directory must belong to this
 * user and be writable by no one else; a copy is written under a temporary name and moved into
 * place, so a copy is whole or absent, and is checked against the entry's CRC before use.
 * {@code org.sqlite.tmpdir} points at the same directory, so that sqlite-jdbc's clean-up lists
 * that small directory instead of the whole temporary directory.
 *
 * <p>Only where the mapping from platform to library is plain (Linux with glibc, macOS; x86-64 and
 * arm64) and the library sits in a jar; anywhere else, or when anything here fails, nothing is set
 * and sqlite-jdbc does as it always does. Should the copy not load, sqlite-jdbc extracts its own.
 */
final class SqliteNativeLibrary {
    private static final String[] SQLITE_PROPERTIES = {
        "org.sqlite.lib.path", "org.sqlite.lib.name", "org.sqlite.tmpdir"
    };
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static volatile boolean prepared;

    private SqliteNativeLibrary() {
    }

    /** Before the first connection of this JVM; cheap and idempotent after that. */
    static void prepare() {
        if (prepared) {
            return;
        }
        synchronized (SqliteNativeLibrary.class) {
            if (!prepared) {
                try {
                    point();
                } catch (IOException | RuntimeException e) {
                    // sqlite-jdbc extracts its library as it always does
                }
                prepared = true;
            }
        }
    }

    private static void point() throws IOException {
        for (String property : SQLITE_PROPERTIES) {
            if (System.getProperty(property) != null) {
                return;
            }
        }
        String folder = platformFolder();
        if (folder == null) {
            return;
        }
        String name = System.mapLibraryName("sqlitejdbc");
        URL resource = SqliteNativeLibrary.class.getClassLoader()
                .getResource("org/sqlite/native/" + folder + "/" + name);
        if (resource == null || !"jar".equals(resource.getProtocol())) {
            return;
        }
        URLConnection connection = resource.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return;
        }
        JarEntry entry = jar.getJarEntry();
        if (entry == null || entry.getCrc() < 0 || entry.getSize() <= 0) {
            return;
        }
        Path root = ownDirectory(Path.of(System.getProperty("java.io.tmpdir"))
                .resolve("s3ite-native-" + fileNameOf(System.getProperty("user.name"))));
        Path directory = root.resolve(Long.toHexString(entry.getCrc()) + "-" + entry.getSize());
        Path library = directory.resolve(name);
        if (!matches(library, entry)) {
            ownDirectory(directory);
            Path part = Files.createTempFile(directory, name, ".part");
            try {
                try (InputStream in = connection.getInputStream()) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                }
                if (!matches(part, entry)) {
                    return;
                }
                try {
                    Files.move(part, library, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    return;
                }
            } finally {
                Files.deleteIfExists(part);
            }
        } else {
            ownDirectory(directory);
        }
        System.setProperty("org.sqlite.lib.path", directory.toString());
        System.setProperty("org.sqlite.lib.name", name);
        System.setProperty("org.sqlite.tmpdir", directory.toString());
    }

    private static String fileNameOf(String text) {
        StringBuilder name = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            name.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') ? c : '_');
        }
        return name.toString();
    }

    /** The folder of sqlite-jdbc's jar that holds this platform's library, where that is plain; else null. */
    private static String platformFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        if (arch == null || System.getProperty("java.runtime.name", "").toLowerCase(Locale.ROOT).contains("android")) {
            return null;
        }
        if (os.startsWith("mac")) {
            return "Mac/" + arch;
        }
        if (os.equals("linux") && !Files.exists(Path.of("/lib/ld-musl-" + arch + ".so.1"))
                && !Files.exists(Path.of("/system/bin/app_process"))) {
            return "Linux/" + arch;
        }
        return null;
    }

    /** {@code directory}, made when missing; only if this user owns it and no one else may write to it. */
    private static Path ownDirectory(Path directory) throws IOException {
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // made by an earlier JVM: checked below like a new one
        }
        UserPrincipal me = directory.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                || !Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).equals(me)
                || !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS))) {
            throw new IOException("Not a directory of this user's own: " + directory);
        }
        return directory;
    }

    private static boolean matches(Path file, JarEntry entry) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != entry.getSize()) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(file));
        return crc.getValue() == entry.getCrc();
    }
}

package io.github.s3ite.server;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Removal of temporary directories: data directories, and the one of an HTTPS certificate. */
final class DataDirectories {

    private DataDirectories() {
    }

    static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log().log(Level.WARNING, "Could not remove the temporary directory " + directory, e);
        }
    }

    /**
     * Looked up when something is logged, not when the class loads: a logger made at class load
     * starts java.util.logging's LogManager, a noticeable part of a cold start, where nothing may
     * ever be logged.
     */
    private static Logger log() {
        return Logger.getLogger(DataDirectories.class.getName());
    }
}

package io.github.s3ite.server.storage;

import java.time.Instant;

/** A bucket: its name (the file name without {@code .sqlite3}) and when it was created. */
public record BucketInfo(String name, Instant creationDate) {
}

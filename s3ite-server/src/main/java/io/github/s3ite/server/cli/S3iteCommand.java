package io.github.s3ite.server.cli;

import io.github.s3ite.server.BucketFiles;
import io.github.s3ite.server.S3iteServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The standalone s3ite: {@code s3ite DIR [--host H] [--port P] [--access-key K --secret-key S]
 * [--domain-name D] [--read-only] [--permissive-cors=false] [--lifecycle-interval 1h] [--https] ...}, plus the
 * fixture tools {@code import}, {@code export} and {@code inspect}.
 */
@Command(name = "s3ite",
        mixinStandardHelpOptions = true,
        versionProvider = S3iteCommand.Version.class,
        description = {"An S3 compatible server that keeps each bucket in one SQLite file, DIR/<bucket>.sqlite3.",
            "Without --access-key and --secret-key every request is served unsigned (anonymous access)."},
        subcommands = {S3iteCommand.Import.class, S3iteCommand.Export.class, S3iteCommand.Inspect.class})
public final class S3iteCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "The data directory: every *.sqlite3 in it is a bucket.")
    Path directory;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8014", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--access-key", description = "Access key requests must be signed with.")
    String accessKey;

    @Option(names = "--secret-key", description = "Secret key requests must be signed with.")
    String secretKey;

    @Option(names = "--user", paramLabel = "ACCESS_KEY:SECRET_KEY",
            description = {"Another user beside --access-key's (repeatable): its own account, owning the buckets it"
                    + " creates, with access to others' only as their ACLs and bucket policies grant it."})
    java.util.List<String> users = new java.util.ArrayList<>();

    @Option(names = "--region", defaultValue = S3iteServer.DEFAULT_REGION, description = "Region to report (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--domain-name", description = "Domain for virtual-hosted style requests (bucket.DOMAIN).")
    String domainName;

    @Option(names = "--read-only", description = "Refuse every write with AccessDenied.")
    boolean readOnly;

    @Option(names = "--permissive-cors", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            paramLabel = "true|false",
            description = {"Let buckets without a CORS configuration allow every origin, method and header, so that"
                    + " browsers may use presigned URLs; --permissive-cors=false answers CORS only as each bucket's"
                    + " PutBucketCors configuration says, as S3 does (default: ${DEFAULT-VALUE})."})
    boolean permissiveCors;

    @Option(names = "--no-fsync", description = {"Do not fsync commits (SQLite synchronous=OFF): an acknowledged write"
            + " survives a crash of s3ite but not of the OS or a power loss. By default every commit is fsynced"
            + " before its answer (synchronous=FULL) and survives both."})
    boolean noFsync;

    @Option(names = "--memory-budget", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = {"Bytes buffered for requests and answers at once, e.g. 512m or 2g; a request that would"
                    + " exceed it waits two seconds, then gets 503 SlowDown (default: half the maximum heap)."})
    Long memoryBudget;

    @Option(names = "--range-cache", paramLabel = "SIZE", converter = ByteSizeOrZeroConverter.class,
            description = {"Bytes of the memory budget kept for whole values of objects larger than 1 MiB read by"
                    + " range or part, so that further ranges of them are served from memory, e.g. 256m; 0 turns it"
                    + " off. Given back before any request would wait for memory (default: a quarter of the budget)."})
    Long rangeCache;

    @Option(names = "--max-connections", defaultValue = "1000",
            description = "Connections served at once; a request on one more gets 503 SlowDown (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--admin", description = {"Serve the request journal and fault injection over HTTP under /_s3ite/"
            + " (for tests in other languages; see the README). Off by default."})
    boolean admin;

    @Option(names = "--journal-size", defaultValue = "1000",
            description = "How many answered requests the journal keeps; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int journalSize;

    @Option(names = "--lifecycle-interval", paramLabel = "DURATION", defaultValue = "1h",
            converter = DurationConverter.class,
            description = {"How often buckets' lifecycle rules are applied (expired objects deleted, stale multipart"
                    + " uploads aborted): at start, then every DURATION, e.g. 30m, 1h, 1d; 0 never"
                    + " (default: ${DEFAULT-VALUE})."})
    Duration lifecycleInterval;

    @Option(names = "--https", description = {"Serve HTTPS instead of plain HTTP on --port, with a certificate made at"
            + " start for localhost, 127.0.0.1, ::1 and --host (see --https-certificate-out), unless --https-keystore"
            + " gives one."})
    boolean https;

    @Option(names = "--https-port", paramLabel = "PORT", description = {"Serve HTTPS on this port as well, beside plain"
            + " HTTP on --port; 0 picks a free one. Implies --https."})
    Integer httpsPort;

    @Option(names = "--https-keystore", paramLabel = "FILE", description = {"Serve HTTPS with the key and certificate"
            + " of this PKCS12 or JKS key store instead of a generated certificate (each key protected by the store's"
            + " password). Implies --https."})
    Path httpsKeyStore;

    @Option(names = "--https-keystore-password", paramLabel = "PASSWORD", defaultValue = "${env:S3ITE_HTTPS_KEYSTORE_PASSWORD}",
            description = "The password of --https-keystore (default: the environment's S3ITE_HTTPS_KEYSTORE_PASSWORD).")
    String httpsKeyStorePassword;

    @Option(names = "--https-certificate-out", paramLabel = "FILE", description = {"Write the certificate clients should"
            + " trust, as PEM, to FILE (replacing it) at start, for curl --cacert FILE, aws --ca-bundle FILE or"
            + " AWS_CA_BUNDLE=FILE. Without it the certificate is in a temporary file, whose path is printed, removed"
            + " at stop."})
    Path httpsCertificateOut;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        quietLibraryLogging();
        System.exit(execute(args));
    }

    /** Held here: java.util.logging keeps loggers only weakly, and with them their levels. */
    private static final java.util.logging.Logger[] LIBRARY_LOGGERS = {
        java.util.logging.Logger.getLogger("io.undertow"), java.util.logging.Logger.getLogger("org.xnio")
    };

    /** Undertow and XNIO announce their versions at INFO; the one line s3ite prints is the one that matters. */
    static void quietLibraryLogging() {
        for (java.util.logging.Logger logger : LIBRARY_LOGGERS) {
            logger.setLevel(java.util.logging.Level.WARNING);
        }
    }

    /** Runs the command line as {@code main} does, returning the exit code instead of exiting. */
    public static int execute(String... args) {
        return new CommandLine(new S3iteCommand())
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    commandLine.getErr().println("s3ite: " + error.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (directory == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'DIR'");
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--access-key and --secret-key go together: give both or neither");
        }
        boolean httpsOn = https || httpsPort != null || httpsKeyStore != null;
        if (httpsKeyStore != null && httpsKeyStorePassword == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--https-keystore needs its password: give --https-keystore-password or S3ITE_HTTPS_KEYSTORE_PASSWORD");
        }
        if (httpsCertificateOut != null && !httpsOn) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--https-certificate-out writes the HTTPS certificate: turn HTTPS on with --https or --https-port");
        }
        S3iteServer server = new S3iteServer(directory)
                .withHost(host)
                .withPort(port)
                .withRegion(region)
                .withDomainName(domainName)
                .withReadOnly(readOnly)
                .withPermissiveCors(permissiveCors)
                .withFsync(!noFsync)
                .withMaxConnections(maxConnections)
                .withRequestJournal(journalSize)
                .withLifecycleInterval(lifecycleInterval)
                .withAdminEndpoint(admin);
        if (memoryBudget != null) {
            server = server.withMemoryBudget(memoryBudget);
        }
        if (rangeCache != null) {
            server = server.withRangeCache(rangeCache);
        }
        server = accessKey == null ? server.withAnonymousAccess() : server.withCredentials(accessKey, secretKey);
        for (String user : users) {
            int colon = user.indexOf(':');
            if (colon <= 0 || colon == user.length() - 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--user takes ACCESS_KEY:SECRET_KEY, not '" + user + "'");
            }
            server = server.withUser(user.substring(0, colon), user.substring(colon + 1));
        }
        if (httpsKeyStore != null) {
            server = server.withHttps(httpsKeyStore, httpsKeyStorePassword.toCharArray());
        } else if (httpsOn) {
            server = server.withHttps();
        }
        if (httpsPort != null) {
            server = server.withHttpsPort(httpsPort);
        }
        server.start();
        Path certificate = httpsOn ? certificateFile(server) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        S3iteServer running = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.stop();
            stopped.countDown();
        }, "s3ite-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        if (certificate != null) {
            // before the line that says the server listens, which tools wait for
            out.println("s3ite: the HTTPS certificate to trust is in " + certificate
                    + " (curl --cacert FILE, aws --ca-bundle FILE, AWS_CA_BUNDLE=FILE)");
        }
        out.println("s3ite " + Version.current() + " listening on " + listeners(server)
                + " (data: " + server.getDataDirectory().toAbsolutePath()
                + (readOnly ? ", read-only" : "")
                + (accessKey == null ? ", anonymous access: signatures are not checked" : "") + ")");
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code http://...}, {@code https://...}, or both, plain first. */
    private String listeners(S3iteServer server) {
        if (httpsPort != null) {
            return server.getHttpEndpoint() + " and " + server.getHttpsEndpoint();
        }
        return server.getEndpoint().toString();
    }

    /** Where the certificate is for the user: the file asked for, else the server's temporary one. */
    private Path certificateFile(S3iteServer server) {
        if (httpsCertificateOut == null) {
            return server.getCertificateFile();
        }
        try {
            Files.writeString(httpsCertificateOut, server.getCertificatePem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            server.stop();
            throw new UncheckedIOException("Cannot write the certificate to " + httpsCertificateOut, e);
        }
        return httpsCertificateOut.toAbsolutePath();
    }

    /** {@code 1048576}, {@code 512k}, {@code 64m}, {@code 2g}: binary multiples. */
    static final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String text = value.trim().toLowerCase(java.util.Locale.ROOT);
            long unit = 1;
            char last = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
            if (last == 'k' || last == 'm' || last == 'g') {
                unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
                text = text.substring(0, text.length() - 1);
            }
            try {
                long size = Math.multiplyExact(Long.parseLong(text), unit);
                if (size > 0) {
                    return size;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("not a size in bytes (e.g. 512m, 2g): " + value);
        }
    }

    /** A size as {@link ByteSizeConverter} reads it, or 0 (off). */
    static final class ByteSizeOrZeroConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return value.trim().matches("0+[kKmMgG]?") ? 0L : new ByteSizeConverter().convert(value);
        }
    }

    /** {@code 0}, {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}, or ISO 8601 ({@code PT1H}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (text.startsWith("p")) {
                    Duration parsed = Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
                    if (!parsed.isNegative()) {
                        return parsed;
                    }
                } else if (text.equals("0")) {
                    return Duration.ZERO;
                } else if (text.length() > 1) {
                    long amount = Long.parseLong(text.substring(0, text.length() - 1));
                    Duration unit = switch (text.charAt(text.length() - 1)) {
                        case 's' -> Duration.ofSeconds(1);
                        case 'm' -> Duration.ofMinutes(1);
                        case 'h' -> Duration.ofHours(1);
                        case 'd' -> Duration.ofDays(1);
                        default -> null;
                    };
                    if (unit != null && amount >= 0) {
                        return unit.multipliedBy(amount);
                    }
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("not a duration (e.g. 30m, 1h, 1d, or 0): " + value);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Make a bucket file from a directory: every file becomes an object (key = relative path with '/').")
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "Directory to read.")
        Path source;

        @Parameters(index = "1", paramLabel = "FILE.sqlite3", description = "Bucket file to write (created, or added to).")
        Path target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BucketFiles.Summary summary = BucketFiles.importDirectory(source, target);
            spec.commandLine().getOut().println("Imported " + summary.objects() + " objects, "
                    + summary.bytes() + " bytes into " + target);
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write every object of a bucket file to a directory (the reverse of import).")
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE.sqlite3", description = "Bucket file to read.")
        Path source;

        @Parameters(index = "1", paramLabel = "DIR", description = "Directory to write into.")
        Path target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            BucketFiles.Summary summary = BucketFiles.exportBucket(source, target);
            spec.commandLine().getOut().println("Exported " + summary.objects() + " objects, "
                    + summary.bytes() + " bytes to " + target);
            return 0;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "List the keys and sizes in a bucket file, with the total.")
    static final class Inspect implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE.sqlite3", description = "Bucket file to read.")
        Path source;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BucketFiles.inspect(source, out);
            out.flush();
            return 0;
        }
    }

    /** The version from the jar manifest (set by the build), or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        static String current() {
            String version = S3iteCommand.class.getPackage().getImplementationVersion();
            return version != null ? version : "development";
        }

        @Override
        public String[] getVersion() {
            return new String[] {"s3ite " + current()};
        }
    }
}

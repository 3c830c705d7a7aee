package io.github.s3ite.server;

import io.github.s3ite.server.auth.Authenticator;
import io.github.s3ite.server.http.AdminEndpoint;
import io.github.s3ite.server.http.FaultInjector;
import io.github.s3ite.server.http.MemoryBudget;
import io.github.s3ite.server.http.RequestJournal;
import io.github.s3ite.server.http.S3HttpHandler;
import io.github.s3ite.server.http.S3Router;
import io.github.s3ite.server.lifecycle.LifecycleOutcome;
import io.github.s3ite.server.operations.S3Operations;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.RangeCache;
import io.github.s3ite.server.tls.TlsIdentity;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.xnio.Options;

/**
 * An s3ite server: an S3 API over a directory of SQLite bucket files, running in this JVM.
 *
 * <p>Configure it with {@code withX(...)}, then {@link #start()}; {@link #stop()} (or {@link #close()})
 * finishes requests in flight, closes every bucket file and, for a temporary data directory, removes it.
 * <pre>{@code
 * try (S3iteServer s3 = new S3iteServer().withBucket("photos").start()) {
 *     S3Client client = s3.createClient();
 *     ...
 * }
 * }</pre>
 *
 * <p>By default the server listens on 127.0.0.1 on an ephemeral port, verifies SigV4 signatures made
 * with {@link #DEFAULT_ACCESS_KEY}/{@link #DEFAULT_SECRET_KEY}, and keeps its buckets in a new
 * temporary directory. Seed files given to {@link #withBucket(String, Path)} are copied, never written.
 * {@link #withHttps()} serves HTTPS instead, with a certificate made at start that
 * {@link #createClient()} and the other clients trust, and that {@link #getCertificatePem()},
 * {@link #getTrustStore()} and {@link #getClientSslContext()} give to clients built by hand.
 * An instance is safe to use from several threads; configuration methods belong before {@code start()}.
 */
public final class S3iteServer implements AutoCloseable {
    public static final String DEFAULT_ACCESS_KEY = "s3ite";
    public static final String DEFAULT_SECRET_KEY = "s3ite-secret-key";
    public static final String DEFAULT_REGION = "us-east-1";
    /** How many answered requests the journal keeps unless told otherwise. */
    public static final int DEFAULT_JOURNAL_CAPACITY = 1000;
    /** How often lifecycle rules are applied unless told otherwise. */
    public static final Duration DEFAULT_LIFECYCLE_INTERVAL = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(S3iteServer.class.getName());
    /** The password of the trust store {@link #getTrustStore()} writes; it guards nothing secret. */
    public static final String TRUST_STORE_PASSWORD = "s3ite";

    private final Path configuredDirectory;
    private String host = "127.0.0.1";
    private int port;
    private String accessKey = DEFAULT_ACCESS_KEY;
    private String secretKey = DEFAULT_SECRET_KEY;
    private String region = DEFAULT_REGION;
    private String domainName;
    private boolean readOnly;
    private boolean permissiveCors;
    private boolean retainDataDirectory;
    private Boolean fsync;
    private Duration readTimeout = Duration.ofMinutes(2);
    private Duration requestHeadTimeout = Duration.ofSeconds(20);
    private long memoryBudget = MemoryBudget.defaultLimit();
    private Duration memoryBudgetWait = Duration.ofSeconds(2);
    /** Null: a quarter of the memory budget. */
    private Long rangeCache;
    private int maxConnections = 1000;
    private Duration lifecycleInterval = DEFAULT_LIFECYCLE_INTERVAL;
    private RequestJournal journal = new RequestJournal(DEFAULT_JOURNAL_CAPACITY);
    private final FaultInjector faults = new FaultInjector();
    private boolean adminEndpoint;
    private boolean https;
    private Path httpsKeyStore;
    private char[] httpsKeyStorePassword;
    /** Null: HTTPS, when on, replaces plain HTTP on {@link #port}. */
    private Integer httpsPort;
    private final Map<String, Path> declaredBuckets = new LinkedHashMap<>();
    private final Map<String, String> otherUsers = new LinkedHashMap<>();

    private Running running;

    /** A server whose data directory is a new temporary directory, made at start and removed at stop. */
    public S3iteServer() {
        this.configuredDirectory = null;
    }

    /** A server over an existing (or new) data directory; every {@code *.sqlite3} in it is a bucket. */
    public S3iteServer(Path dataDirectory) {
        this.configuredDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    /** The address to listen on; default 127.0.0.1. */
    public S3iteServer withHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** The port to listen on; default 0, an ephemeral port (see {@link #getPort()}). */
    public S3iteServer withPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
        this.port = port;
        return this;
    }

    /**
     * Serves HTTPS instead of plain HTTP, on the port of {@link #withPort(int)} (unless
     * {@link #withHttpsPort(int)} gives HTTPS a port of its own, beside plain HTTP), with a
     * certificate made at start: a new EC P-256 key (kept in memory only) and a self-signed
     * certificate for {@code localhost}, {@code 127.0.0.1}, {@code ::1}, the host of
     * {@link #withHost(String)}, and the domain of {@link #withDomainName(String)} with its
     * subdomains, valid for a year. Every start makes a new one. {@link #getEndpoint()} is then the
     * {@code https} endpoint, the clients this server creates trust the certificate, and
     * {@link #getCertificatePem()}, {@link #getCertificateFile()}, {@link #getTrustStore()} and
     * {@link #getClientSslContext()} give it to clients built by hand.
     */
    public S3iteServer withHttps() {
        this.https = true;
        this.httpsKeyStore = null;
        this.httpsKeyStorePassword = null;
        return this;
    }

    /**
     * Like {@link #withHttps()}, serving the key and certificate chain of a key store of your own
     * instead of a generated certificate: a PKCS12 or JKS file (the type is recognised), each key
     * protected by the store's password. Clients this server creates trust every certificate of the
     * store's key entries' chains; so do {@link #getTrustStore()} and the others.
     *
     * @throws IllegalArgumentException at {@code start()}, when the store cannot be read with the
     *         password or holds no key
     */
    public S3iteServer withHttps(Path keyStore, char[] password) {
        this.https = true;
        this.httpsKeyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.httpsKeyStorePassword = Objects.requireNonNull(password, "password").clone();
        return this;
    }

    /**
     * Serves HTTPS on this port, beside plain HTTP on the port of {@link #withPort(int)}; 0 is an
     * ephemeral port (see {@link #getHttpsPort()}). Turns HTTPS on as {@link #withHttps()} does
     * (with its generated certificate unless {@link #withHttps(Path, char[])} names a key store).
     */
    public S3iteServer withHttpsPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("httpsPort must be within 0..65535: " + port);
        }
        this.https = true;
        this.httpsPort = port;
        return this;
    }

    /** The one access key and secret key requests must be signed with. */
    public S3iteServer withCredentials(String accessKey, String secretKey) {
        this.accessKey = requireText(accessKey, "accessKey");
        this.secretKey = requireText(secretKey, "secretKey");
        return this;
    }

    /**
     * Another user beside the one {@link #withCredentials} names: its own account, owning the
     * buckets it creates, with access elsewhere only as ACLs and bucket policies grant it. See
     * {@link #getUsers()} for the canonical id, e-mail and ARN grants and policies name it by.
     */
    public S3iteServer withUser(String accessKey, String secretKey) {
        requireText(accessKey, "accessKey");
        requireText(secretKey, "secretKey");
        if (accessKey.equals(this.accessKey)) {
            throw new IllegalArgumentException("accessKey is already the server's own: " + accessKey);
        }
        otherUsers.put(accessKey, secretKey);
        return this;
    }

    /**
     * The users requests are checked against: the one {@link #withCredentials} names (unless
     * {@link #withAnonymousAccess}), then those of {@link #withUser}. The first owns the buckets no
     * user created. With none, nothing is checked.
     */
    public java.util.List<S3iteUser> getUsers() {
        return users().all().stream().map(S3iteUser::new).toList();
    }

    private io.github.s3ite.server.access.Users users() {
        java.util.List<io.github.s3ite.server.access.Identity> users = new java.util.ArrayList<>();
        if (accessKey != null) {
            users.add(io.github.s3ite.server.access.Identity.of(accessKey, secretKey));
        }
        otherUsers.forEach((key, secret) -> users.add(io.github.s3ite.server.access.Identity.of(key, secret)));
        return new io.github.s3ite.server.access.Users(users);
    }

    /** No credentials: every request is served without checking its signature. */
    public S3iteServer withAnonymousAccess() {
        this.accessKey = null;
        this.secretKey = null;
        return this;
    }

    /**
     * The region the server reports (GetBucketLocation, HeadBucket) and the one a signature's
     * credential scope must name, as S3 requires: a client configured for another region is
     * answered 400 AuthorizationHeaderMalformed (AuthorizationQueryParametersError for a presigned
     * URL) naming this one. Default {@value #DEFAULT_REGION}.
     */
    public S3iteServer withRegion(String region) {
        this.region = requireText(region, "region");
        return this;
    }

    /** Serves virtual-hosted style requests ({@code bucket.domain}) beside path-style ones. */
    public S3iteServer withDomainName(String domainName) {
        this.domainName = domainName;
        return this;
    }

    /** A read-only server answers every write with AccessDenied and never changes a file. */
    public S3iteServer withReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
        return this;
    }

    /**
     * Whether a bucket without a CORS configuration allows every origin, method and header, as the
     * standalone server does by default ({@code --permissive-cors}): browser tests against presigned
     * URLs need it. Off by default here, where S3's own behaviour is the point: a bucket answers CORS
     * only as its PutBucketCors configuration says. A bucket with a configuration always follows it.
     */
    public S3iteServer withPermissiveCors(boolean permissiveCors) {
        this.permissiveCors = permissiveCors;
        return this;
    }

    /**
     * Whether each commit is fsynced before its answer. On: SQLite's {@code synchronous=FULL} in WAL
     * mode, which fsyncs the write-ahead log at every commit, so an acknowledged write survives an
     * OS crash or power loss, given a disk that honours fsync. Off: {@code synchronous=OFF}, nothing
     * is fsynced; an acknowledged write survives a crash of this process (it is in the OS's page
     * cache) but not a crash of the OS or a power loss, and a write costs one fsync less. Default: on
     * for a data directory given to the constructor, off for a temporary one, whose content dies
     * with the test anyway.
     */
    public S3iteServer withFsync(boolean fsync) {
        this.fsync = fsync;
        return this;
    }

    /**
     * How long a connection may move nothing, before it is closed: the client sends nothing
     * mid-request or between requests, or reads nothing of an answer. A request cut off so is not
     * carried out. Default two minutes; from one millisecond to 24 days.
     */
    public S3iteServer withReadTimeout(Duration readTimeout) {
        if (readTimeout.toMillis() < 1 || readTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("readTimeout must be within 1 ms and 24 days: " + readTimeout);
        }
        this.readTimeout = readTimeout;
        return this;
    }

    /**
     * How long a client may take to send a request's head (request line and headers) once it has
     * started; a connection still sending its head then is closed. Default 20 seconds.
     */
    public S3iteServer withRequestHeadTimeout(Duration timeout) {
        if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("requestHeadTimeout must be within 1 ms and 24 days: " + timeout);
        }
        this.requestHeadTimeout = timeout;
        return this;
    }

    /**
     * The server-wide budget of bytes buffered for requests and responses (bodies as they arrive,
     * object bytes read or assembled for an answer). A request that would exceed it waits up to
     * {@code wait}, then gets 503 {@code SlowDown}. Default: half of the JVM's maximum heap, and
     * two seconds.
     */
    public S3iteServer withMemoryBudget(long bytes, Duration wait) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memoryBudget must be positive: " + bytes);
        }
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative: " + wait);
        }
        this.memoryBudget = bytes;
        this.memoryBudgetWait = wait;
        return this;
    }

    /** Like {@link #withMemoryBudget(long, Duration)}, keeping the wait (two seconds unless set). */
    public S3iteServer withMemoryBudget(long bytes) {
        return withMemoryBudget(bytes, memoryBudgetWait);
    }

    /**
     * The most bytes of the memory budget the range cache may hold: whole values of objects larger
     * than 1 MiB, kept after a ranged read (or a read by part number) of them so that further reads
     * of the same version are served from memory instead of reading the value from SQLite again.
     * A value larger than this is never cached. The cache only takes budget that is free, and gives
     * it back, least recently used first, before any request would wait for it. 0 turns it off.
     * Default: a quarter of the memory budget.
     */
    public S3iteServer withRangeCache(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("rangeCache must not be negative: " + bytes);
        }
        this.rangeCache = bytes;
        return this;
    }

    /** The range cache's capacity in bytes (see {@link #withRangeCache(long)}). */
    public long getRangeCache() {
        return rangeCache != null ? rangeCache : memoryBudget / 4;
    }

    /**
     * The most connections served at once; a request on a connection beyond it gets 503
     * {@code SlowDown} and the connection is closed. Default 1000.
     */
    public S3iteServer withMaxConnections(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * How many of the last answered requests the journal keeps (a ring: older ones drop out);
     * 0 turns the journal off. Default {@value #DEFAULT_JOURNAL_CAPACITY}. Set before {@code start()}.
     */
    public synchronized S3iteServer withRequestJournal(int capacity) {
        if (running != null) {
            throw new IllegalStateException("The journal's capacity is set before start()");
        }
        this.journal = new RequestJournal(capacity);
        return this;
    }

    /**
     * Serves the journal and fault injection over HTTP under {@code /_s3ite/} (see the README), for
     * tests in other languages. Off by default; no S3 request can reach that path.
     */
    public S3iteServer withAdminEndpoint(boolean enabled) {
        this.adminEndpoint = enabled;
        return this;
    }

    /**
     * How often the buckets' lifecycle rules are applied: once right after start (in the
     * background: start does not wait for it), then every {@code interval}. Default one hour.
     * {@link Duration#ZERO} turns these runs off; {@link #applyLifecycle(Instant)} applies the
     * rules whenever a test wants. A read-only server never applies them.
     */
    public S3iteServer withLifecycleInterval(Duration interval) {
        if (interval.isNegative() || !interval.isZero() && interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("lifecycleInterval must be zero or at least a millisecond: " + interval);
        }
        this.lifecycleInterval = interval;
        return this;
    }

    /**
     * Applies every bucket's lifecycle rules now, as they would stand at {@code now}: a time in
     * the future makes what falls due by then happen at once, so that code relying on expiry can
     * be tested without waiting days. Current versions past their {@code Expiration} are deleted
     * (in a versioned bucket, hidden under a delete marker), noncurrent versions past their
     * {@code NoncurrentVersionExpiration} deleted, delete markers left alone removed, and
     * incomplete multipart uploads past {@code AbortIncompleteMultipartUpload} aborted. Versions
     * under object lock are never deleted for good. Each key's changes are one transaction, made
     * with the bucket's one writer, so requests in flight see them whole. A read-only server
     * changes nothing.
     *
     * @return what was done
     */
    public LifecycleSummary applyLifecycle(Instant now) {
        Running current = running();
        if (readOnly) {
            return new LifecycleSummary(0, 0, 0, 0);
        }
        Objects.requireNonNull(now, "now");
        LifecycleOutcome outcome = current.lifecycle != null ? current.lifecycle.apply(current.operations, now)
                : current.operations.applyLifecycle(now);
        return new LifecycleSummary(outcome.expiredObjects(), outcome.deletedNoncurrentVersions(),
                outcome.removedDeleteMarkers(), outcome.abortedUploads());
    }

    /** The requests answered since start (or the last {@link #clearRequests()}), oldest first, up to the journal's capacity. */
    public List<RecordedRequest> getRequests() {
        return journal.requests();
    }

    /** Like {@link #getRequests()}, only those of one S3 operation ({@code "PutObject"}, {@code "ListObjectsV2"}, ...). */
    public List<RecordedRequest> getRequests(String operation) {
        List<RecordedRequest> matching = new ArrayList<>();
        for (RecordedRequest request : journal.requests()) {
            if (operation.equals(request.operation())) {
                matching.add(request);
            }
        }
        return matching;
    }

    /**
     * The next answered request not yet taken, in the order they were answered, waiting up to
     * {@code timeout} for one to come; null if none did. Each request is taken once.
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        return journal.take(timeout);
    }

    /** Empties the journal. */
    public void clearRequests() {
        journal.clear();
    }

    /**
     * Makes the server misbehave on purpose for the requests {@code fault} matches, until
     * {@link #clearFaults()} (or for as many requests as {@link S3Fault#times(int)} says).
     */
    public S3iteServer injectFault(S3Fault fault) {
        FaultInjector.requireKnownOperation(Objects.requireNonNull(fault, "fault"));
        faults.add(fault);
        return this;
    }

    /** The faults in force, in the order injected. */
    public List<S3Fault> getFaults() {
        return faults.faults();
    }

    public void clearFaults() {
        faults.clear();
    }

    /** The memory budget in bytes (see {@link #withMemoryBudget(long, Duration)}). */
    public long getMemoryBudget() {
        return memoryBudget;
    }

    /**
     * Bytes of the memory budget requests hold now (what the range cache holds is not counted here,
     * see {@link #getRangeCacheBytes()}); 0 when the server is idle.
     */
    public long getBufferedBytes() {
        return running().budget.usedByRequests();
    }

    /** Bytes of the memory budget the range cache holds now. */
    public long getRangeCacheBytes() {
        return running().rangeCache.bytes();
    }

    /** Keeps a temporary data directory at stop (for a look at its files after a failure). */
    public S3iteServer withRetainDataDirectory(boolean retain) {
        this.retainDataDirectory = retain;
        return this;
    }

    /**
     * Declares an empty bucket: created at start, emptied by {@link #reset()}. Called on a running
     * server, it creates the bucket at once.
     */
    public S3iteServer withBucket(String name) {
        return declare(name, null);
    }

    /**
     * Declares a bucket seeded from a copy of {@code seed}, a bucket file; {@link #reset()} brings it
     * back to that content. The seed file itself is never written.
     *
     * @throws IllegalArgumentException when the seed file is missing or not an SQLite bucket file
     */
    public S3iteServer withBucket(String name, Path seed) {
        return declare(name, SeedFiles.check(seed));
    }

    private synchronized S3iteServer declare(String name, Path seed) {
        io.github.s3ite.server.storage.BucketNames.validate(name);
        declaredBuckets.put(name, seed);
        if (running != null) {
            running.restore(name, seed);
        }
        return this;
    }

    /**
     * Starts listening. Declared buckets are created (seeded ones from their seeds) unless the data
     * directory already holds them.
     *
     * @throws IllegalStateException when already running
     */
    public synchronized S3iteServer start() {
        if (running != null) {
            throw new IllegalStateException("The s3ite server is already running at " + getEndpoint());
        }
        running = Running.start(this);
        return this;
    }

    /** Finishes requests in flight, closes every bucket file, and removes a temporary data directory. No-op when stopped. */
    public synchronized void stop() {
        if (running == null) {
            return;
        }
        Running stopping = running;
        running = null;
        stopping.stop(configuredDirectory == null && !retainDataDirectory);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return running != null;
    }

    /**
     * The endpoint clients should use: {@code https://host:port} when HTTPS is on (see
     * {@link #withHttps()}), else {@code http://host:port}.
     */
    public URI getEndpoint() {
        return https ? getHttpsEndpoint() : getHttpEndpoint();
    }

    /**
     * {@code http://host:port}, where plain HTTP is served.
     *
     * @throws IllegalStateException when HTTPS replaces plain HTTP ({@link #withHttps()} without
     *         {@link #withHttpsPort(int)})
     */
    public URI getHttpEndpoint() {
        if (https && httpsPort == null) {
            throw new IllegalStateException("This s3ite server serves HTTPS instead of plain HTTP:"
                    + " give HTTPS a port of its own with withHttpsPort(port) to serve both");
        }
        return URI.create("http://" + shownHost() + ":" + getPort());
    }

    /**
     * {@code https://host:port}, where HTTPS is served.
     *
     * @throws IllegalStateException when HTTPS is off
     */
    public URI getHttpsEndpoint() {
        return URI.create("https://" + shownHost() + ":" + getHttpsPort());
    }

    private String shownHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public String getHost() {
        return host;
    }

    /**
     * The port of {@link #withPort(int)}, listened on: plain HTTP, or HTTPS where it replaces plain
     * HTTP. The ephemeral port chosen at start when configured with 0.
     */
    public synchronized int getPort() {
        return running != null ? running.port : port;
    }

    /**
     * The port HTTPS is served on: the ephemeral port chosen at start when configured with 0.
     *
     * @throws IllegalStateException when HTTPS is off
     */
    public synchronized int getHttpsPort() {
        if (!https) {
            throw new IllegalStateException("This s3ite server does not serve HTTPS: turn it on with withHttps()");
        }
        if (running != null) {
            return running.httpsPort;
        }
        return httpsPort != null ? httpsPort : port;
    }

    /**
     * The certificates a client should trust to reach this server over HTTPS, as PEM: the one made
     * at start, or those of the key store given to {@link #withHttps(Path, char[])}.
     *
     * @throws IllegalStateException when HTTPS is off or the server is not running
     */
    public String getCertificatePem() {
        return runningTls().identity().pem();
    }

    /**
     * A file holding {@link #getCertificatePem()}, for clients that read one ({@code curl --cacert},
     * the aws cli's {@code --ca-bundle}, {@code AWS_CA_BUNDLE}). Removed at stop.
     *
     * @throws IllegalStateException when HTTPS is off or the server is not running
     */
    public Path getCertificateFile() {
        return runningTls().certificateFile();
    }

    /**
     * A PKCS12 trust store holding the certificates of {@link #getCertificatePem()}, and nothing
     * else, protected by {@link #TRUST_STORE_PASSWORD}: for {@code javax.net.ssl.trustStore} and
     * clients configured with a trust store path. Removed at stop.
     *
     * @throws IllegalStateException when HTTPS is off or the server is not running
     */
    public Path getTrustStore() {
        return runningTls().trustStore();
    }

    /** {@link #TRUST_STORE_PASSWORD}, the password of {@link #getTrustStore()}. */
    public String getTrustStorePassword() {
        return TRUST_STORE_PASSWORD;
    }

    /**
     * An {@link SSLContext} for clients built by hand ({@code HttpClient.newBuilder().sslContext(...)},
     * an SDK client's trust managers) that trusts this server's certificates and no others.
     *
     * @throws IllegalStateException when HTTPS is off or the server is not running
     */
    public SSLContext getClientSslContext() {
        return runningTls().identity().clientContext();
    }

    /** The running server's TLS identity, or null over plain HTTP: what the clients it creates trust. */
    TlsIdentity tlsIdentity() {
        Running current;
        synchronized (this) {
            current = running;
        }
        return current == null || current.tls == null ? null : current.tls.identity();
    }

    private RunningTls runningTls() {
        if (!https) {
            throw new IllegalStateException("This s3ite server does not serve HTTPS: turn it on with withHttps()");
        }
        return running().tls;
    }

    /** The names the generated certificate is for: the loopback names, the host, the domain. */
    private List<String> certificateNames() {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        names.add(host);
        if (domainName != null && !domainName.isBlank()) {
            names.add(domainName);
            names.add("*." + domainName);
        }
        return List.copyOf(names);
    }

    /** The access key requests are signed with, or null with anonymous access. */
    public String getAccessKey() {
        return accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public String getRegion() {
        return region;
    }

    /** The data directory; for a temporary one, null until started. */
    public synchronized Path getDataDirectory() {
        if (running != null) {
            return running.store.dataDirectory();
        }
        return configuredDirectory;
    }

    /** Names of the buckets that exist now. */
    public Set<String> getBucketNames() {
        Set<String> names = new TreeSet<>();
        running().store.listBuckets().forEach(bucket -> names.add(bucket.name()));
        return names;
    }

    /** Creates an empty bucket now; unlike {@link #withBucket(String)} it is not declared, so {@link #reset()} removes it. */
    public void createBucket(String name) {
        running().restore(name, null);
    }

    /** Creates a bucket now from a copy of a seed file; not declared, so {@link #reset()} removes it. */
    public void createBucket(String name, Path seed) {
        running().restore(name, SeedFiles.check(seed));
    }

    /**
     * Every declared bucket back to its seed or empty, every other bucket deleted (unfinished
     * multipart uploads go with them). It costs what changed since the last reset: a bucket untouched
     * since is left as it is, and a seeded one gets back the seed's rows of just the rows that
     * changed, in place; its seed is copied again where that costs less (many changes), or where
     * the bucket was deleted or created again or its file changed other than through this server.
     * Either way every table of the file ends as in the seed. A read-only server has nothing to
     * reset: its buckets cannot change.
     */
    public void reset() {
        Map<String, Path> declared;
        synchronized (this) {
            declared = new LinkedHashMap<>(declaredBuckets);
        }
        if (!readOnly) {
            running().reset(declared);
        }
    }

    /** Writes a consistent copy of a bucket to {@code target} (a new file), usable as a seed. */
    public void snapshot(String bucket, Path target) {
        running().store.snapshot(bucket, target);
    }

    /**
     * An AWS SDK v2 client configured for this server: endpoint, path-style access, region and
     * credentials. Closed by {@link #stop()}.
     *
     * @throws IllegalStateException when {@code software.amazon.awssdk:s3} is not on the classpath
     */
    public software.amazon.awssdk.services.s3.S3Client createClient() {
        return running().track(AwsClients.requireSdk().sync(this));
    }

    /**
     * Like {@link #createClient()}, signing as the user {@code accessKey} (see {@link #withUser}),
     * or unsigned (anonymous) for null.
     */
    public software.amazon.awssdk.services.s3.S3Client createClient(String accessKey) {
        return running().track(AwsClients.requireSdk().sync(this, accessKey == null ? null : secretOf(accessKey), accessKey));
    }

    private String secretOf(String accessKey) {
        return users().all().stream().filter(user -> user.accessKey().equals(accessKey)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No such user: " + accessKey)).secretKey();
    }

    /** Like {@link #createClient()}, asynchronous. */
    public software.amazon.awssdk.services.s3.S3AsyncClient createAsyncClient() {
        return running().track(AwsClients.requireSdk().async(this));
    }

    /** A presigner for this server's endpoint, region and credentials. Closed by {@link #stop()}. */
    public software.amazon.awssdk.services.s3.presigner.S3Presigner createPresigner() {
        return running().track(AwsClients.requireSdk().presigner(this));
    }

    private synchronized Running running() {
        if (running == null) {
            throw new IllegalStateException("The s3ite server is not running: call start() first");
        }
        return running;
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** The HTTPS listener's key and certificates, and the directory their public files are written to. */
    private record RunningTls(TlsIdentity identity, Path directory) {
        static RunningTls start(S3iteServer config) {
            TlsIdentity identity = config.httpsKeyStore != null
                    ? TlsIdentity.fromKeyStore(config.httpsKeyStore, config.httpsKeyStorePassword)
                    : TlsIdentity.selfSigned(config.certificateNames(), Instant.now());
            Path directory;
            try {
                directory = Files.createTempDirectory("s3ite-tls-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary directory for the certificate", e);
            }
            RunningTls tls = new RunningTls(identity, directory);
            try {
                identity.writePem(tls.certificateFile());
                identity.writeTrustStore(tls.trustStore(), TRUST_STORE_PASSWORD.toCharArray());
            } catch (RuntimeException e) {
                tls.stop();
                throw e;
            }
            return tls;
        }

        Path certificateFile() {
            return directory.resolve("s3ite-certificate.pem");
        }

        Path trustStore() {
            return directory.resolve("s3ite-truststore.p12");
        }

        void stop() {
            DataDirectories.delete(directory);
        }
    }

    /**
     * One server's lifecycle runs, on the one daemon thread all servers of this JVM share (made at
     * the first start that needs it): a thread per server would cost each start and stop a thread.
     */
    private static final class LifecycleSchedule {
        private final ReentrantLock running = new ReentrantLock();
        private final ScheduledFuture<?> future;
        private volatile boolean cancelled;

        LifecycleSchedule(S3Operations operations, Duration interval, boolean atStart, boolean beforeStart) {
            if (atStart && beforeStart) {
                run(operations);
            }
            this.future = SharedThread.EXECUTOR.scheduleWithFixedDelay(() -> run(operations),
                    atStart && !beforeStart ? 0 : interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void run(S3Operations operations) {
            try {
                apply(operations, Instant.now());
            } catch (RuntimeException e) {
                // a failed run must not end the schedule: the next one tries again
                LOG.log(Level.WARNING, "Applying lifecycle rules failed", e);
            }
        }

        /** One run as of {@code now}, never beside another of this server's; none once cancelled. */
        LifecycleOutcome apply(S3Operations operations, Instant now) {
            running.lock();
            try {
                return cancelled ? LifecycleOutcome.NONE : operations.applyLifecycle(now);
            } finally {
                running.unlock();
            }
        }

        /** No run starts after this; one under way goes on. */
        void cancel() {
            cancelled = true;
            future.cancel(false);
        }

        /** Waits up to {@code timeout} for a run under way to end. */
        void awaitRun(Duration timeout) {
            try {
                if (running.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    running.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static final class SharedThread {
            static final ScheduledThreadPoolExecutor EXECUTOR;

            static {
                EXECUTOR = new ScheduledThreadPoolExecutor(1, task -> {
                    Thread thread = new Thread(task, "s3ite-lifecycle");
                    thread.setDaemon(true);
                    return thread;
                });
                EXECUTOR.setRemoveOnCancelPolicy(true);
            }
        }
    }

    /** Everything that exists only while the server runs. */
    private static final class Running {
        private final Undertow undertow;
        private final GracefulShutdownHandler shutdown;
        private final BucketStore store;
        private final S3Operations operations;
        private final MemoryBudget budget;
        private final RangeCache rangeCache;
        private final int port;
        private final LifecycleSchedule lifecycle;
        private final int httpsPort;
        private final RunningTls tls;
        private final List<AutoCloseable> clients = new ArrayList<>();

        private Running(Undertow undertow, GracefulShutdownHandler shutdown, BucketStore store, S3Operations operations,
                        MemoryBudget budget, RangeCache rangeCache, int port, LifecycleSchedule lifecycle,
                        int httpsPort, RunningTls tls) {
            this.undertow = undertow;
            this.shutdown = shutdown;
            this.store = store;
            this.operations = operations;
            this.budget = budget;
            this.rangeCache = rangeCache;
            this.port = port;
            this.lifecycle = lifecycle;
            this.httpsPort = httpsPort;
            this.tls = tls;
        }

        static Running start(S3iteServer config) {
            // first, so that a key store that cannot be read fails the start before anything is made
            RunningTls tls = config.https ? RunningTls.start(config) : null;
            try {
                return start(config, tls);
            } catch (RuntimeException e) {
                if (tls != null) {
                    tls.stop();
                }
                throw e;
            }
        }

        private static Running start(S3iteServer config, RunningTls tls) {
            Path directory = config.configuredDirectory;
            boolean temporary = directory == null;
            try {
                if (temporary) {
                    directory = Files.createTempDirectory("s3ite-");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary data directory", e);
            }
            if (config.readOnly && !config.declaredBuckets.isEmpty()) {
                try (BucketStore seeding = new BucketStore(directory, false, false)) {
                    createMissing(seeding, config.declaredBuckets);
                }
            }
            boolean fsync = config.fsync != null ? config.fsync : !temporary;
            MemoryBudget budget = new MemoryBudget(config.memoryBudget, config.memoryBudgetWait);
            long rangeCacheBytes = config.getRangeCache();
            RangeCache rangeCache = rangeCacheBytes == 0 ? RangeCache.OFF
                    : new RangeCache(rangeCacheBytes, budget::tryHold, budget::releaseHeld);
            budget.reclaimWith(rangeCache::reclaim);
            BucketStore store = new BucketStore(directory, config.readOnly, fsync, rangeCache);
            try {
                if (!config.readOnly) {
                    createMissing(store, config.declaredBuckets);
                }
                io.github.s3ite.server.access.Users users = config.users();
                Map<String, String> credentials = users.secrets();
                S3Operations operations = new S3Operations(store, config.region,
                        users.first() != null ? users.first().accessKey() : "s3ite", users);
                S3HttpHandler handler = new S3HttpHandler(
                        new S3Router(config.domainName),
                        new Authenticator(credentials, config.region, Clock.systemUTC()),
                        operations,
                        config.readOnly, budget, config.maxConnections, config.journal, config.faults,
                        config.adminEndpoint ? new AdminEndpoint(config.journal, config.faults) : null,
                        operations, config.permissiveCors);
                GracefulShutdownHandler shutdown = new GracefulShutdownHandler(new HttpContinueReadHandler(handler));
                boolean plain = tls == null || config.httpsPort != null;
                Undertow.Builder listeners = Undertow.builder();
                if (plain) {
                    listeners.addHttpListener(config.port, config.host);
                }
                if (tls != null) {
                    // the same handler behind both: every limit of the edge holds for HTTPS as for HTTP
                    listeners.addHttpsListener(config.httpsPort != null ? config.httpsPort : config.port, config.host,
                            tls.identity().serverContext());
                }
                Undertow undertow = listeners
                        // few threads: a bucket has one writer and four readers, so more workers only
                        // queue on its locks, and on two cores that queueing cost a third of the CPU
                        .setIoThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))
                        .setWorkerThreads(Math.max(4, Runtime.getRuntime().availableProcessors() * 2))
                        .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                        .setServerOption(UndertowOptions.DECODE_URL, false)
                        .setServerOption(UndertowOptions.MAX_PARAMETERS, 10_000)
                        .setServerOption(UndertowOptions.MAX_HEADERS, 1000)
                        // S3 allows 8 KB of request headers; 64 KiB bounds what a connection's head may hold
                        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                        .setSocketOption(Options.REUSE_ADDRESSES, true)
                        // bodies and answers move without blocking a worker; these bound how long a
                        // silent client keeps its connection (and the bytes it sent) all the same
                        .setSocketOption(Options.READ_TIMEOUT, (int) config.readTimeout.toMillis())
                        .setSocketOption(Options.WRITE_TIMEOUT, (int) config.readTimeout.toMillis())
                        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) config.readTimeout.toMillis())
                        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) config.requestHeadTimeout.toMillis())
                        .setHandler(shutdown)
                        .build();
                undertow.start();
                int httpPort = -1;
                int httpsPort = -1;
                for (Undertow.ListenerInfo listener : undertow.getListenerInfo()) {
                    int bound = ((InetSocketAddress) listener.getAddress()).getPort();
                    if ("https".equals(listener.getProtcol())) {
                        httpsPort = bound;
                    } else {
                        httpPort = bound;
                    }
                }
                // a new temporary directory holding only empty buckets has no rules to apply at start
                boolean nothingToApply = temporary && config.declaredBuckets.values().stream().allMatch(Objects::isNull);
                LifecycleSchedule lifecycle = config.readOnly || config.lifecycleInterval.isZero() ? null
                        : scheduleLifecycle(operations, config.lifecycleInterval, !nothingToApply, temporary);
                return new Running(undertow, shutdown, store, operations, budget, rangeCache, plain ? httpPort : httpsPort,
                        lifecycle, httpsPort, tls);
            } catch (RuntimeException e) {
                store.close();
                if (temporary) {
                    DataDirectories.delete(directory);
                }
                throw e;
            }
        }

        /** The longest wait between runs: a longer interval, in milliseconds, could overflow the scheduler. */
        private static final Duration LONGEST_DELAY = Duration.ofDays(36_500);

        /**
         * The rules applied at start (in the background) unless {@code atStart} is false, then every
         * {@code interval} after each run ends.
         */
        /**
         * @param beforeStart whether the run at start happens before {@code start()} returns (a
         *                    temporary directory: a test fixture, whose first test must see what
         *                    every other one sees) rather than in the background
         */
        private static LifecycleSchedule scheduleLifecycle(S3Operations operations, Duration interval, boolean atStart,
                                                           boolean beforeStart) {
            return new LifecycleSchedule(operations, interval.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : interval,
                    atStart, beforeStart);
        }

        private static void createMissing(BucketStore store, Map<String, Path> declared) {
            for (Map.Entry<String, Path> bucket : declared.entrySet()) {
                if (!store.exists(bucket.getKey())) {
                    createIn(store, bucket.getKey(), bucket.getValue());
                }
            }
        }

        synchronized <T extends AutoCloseable> T track(T client) {
            clients.add(client);
            return client;
        }

        void restore(String name, Path seed) {
            createIn(store, name, seed);
        }

        void reset(Map<String, Path> declared) {
            for (io.github.s3ite.server.storage.BucketInfo bucket : store.listBuckets()) {
                if (!declared.containsKey(bucket.name())) {
                    store.dropBucket(bucket.name());
                }
            }
            for (Map.Entry<String, Path> bucket : declared.entrySet()) {
                createIn(store, bucket.getKey(), bucket.getValue());
            }
            if (lifecycle != null) {
                // seeds come back as they were: the rules due now apply again, as at start, so that
                // every test sees the same buckets
                lifecycle.apply(operations, Instant.now());
            }
        }

        private static void createIn(BucketStore store, String name, Path seed) {
            if (seed != null) {
                store.createBucketFrom(name, seed);
            } else {
                store.resetBucket(name);
            }
        }

        void stop(boolean deleteDirectory) {
            if (lifecycle != null) {
                // a run under way finishes; nothing new starts
                lifecycle.cancel();
            }
            shutdown.shutdown();
            try {
                shutdown.awaitShutdown(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            undertow.stop();
            if (lifecycle != null) {
                lifecycle.awaitRun(Duration.ofSeconds(10));
            }
            synchronized (this) {
                for (AutoCloseable client : clients) {
                    try {
                        client.close();
                    } catch (Exception e) {
                        // a client that fails to close holds nothing of ours
                    }
                }
                clients.clear();
            }
            Path directory = store.dataDirectory();
            store.close();
            if (deleteDirectory) {
                DataDirectories.delete(directory);
            }
            if (tls != null) {
                tls.stop();
            }
        }
    }
}

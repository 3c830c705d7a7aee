package io.github.s3ite.server.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * Whole values of large objects, kept after a ranged read so that the next ranges of the same
 * object are served from memory. SQLite cannot read part of a large value: the original's
 * {@code WITHOUT ROWID} table rules out incremental blob I/O, {@code substr} materialises the whole
 * value, and even finding the row of a value that spills into overflow pages reads all of them.
 * So a value is read whole once, and ranges of it are copied from here until it is evicted.
 *
 * <p>Memory: every cached byte is held in the server's memory budget ({@code hold}, given back
 * with {@code release}); the cache never holds more than its capacity, never takes budget that
 * is not free (it does not wait, and it does not evict to make room for itself beyond its own
 * capacity), and gives back whatever the budget asks of it through {@link #reclaim}, least
 * recently used first, so that a request never fails for memory the cache holds. An entry being
 * copied from when it is evicted gives its budget back when the copy is done.
 *
 * <p>Consistency: an entry belongs to one open {@link BucketFile} (its identity, not its name: a
 * bucket replaced from a seed is a new file) and describes one version of one key, with the
 * description it was read with. The bucket file drops a key's entries after every write that may
 * change the key ({@link #written}) and all of its entries when it is cleared or closed; an entry
 * read in a snapshot older than a write that committed meanwhile is never stored
 * ({@link Load#complete}). The cache therefore assumes that the bucket file is written only
 * through this server while it serves it.
 */
public final class RangeCache {
    /** No cache: every read goes to SQLite. */
    public static final RangeCache OFF = new RangeCache(0, bytes -> false, bytes -> { });

    /** Values up to this size come with their description in one statement and are never cached. */
    static final long SMALLEST = ObjectTable.SMALL_OBJECT + 1;

    private final long capacity;
    private final LongPredicate hold;
    private final LongConsumer release;
    /** Access-ordered: the first entry is the least recently used. Guarded by {@code this}. */
    private final LinkedHashMap<Slot, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Slot, Load> loading = new HashMap<>();
    private long cached;
    private long pending;
    /** Read without the lock so that reads of a server whose cache is empty never take it (a miss at worst). */
    private volatile boolean empty = true;

    /**
     * @param capacity the most bytes kept; 0 turns the cache off
     * @param hold     takes bytes of the memory budget if they are free now, without waiting or
     *                 reclaiming; false when they are not
     * @param release  gives bytes taken with {@code hold} back
     */
    public RangeCache(long capacity, LongPredicate hold, LongConsumer release) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
        this.hold = hold;
        this.release = release;
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes of values held now, those being read included. */
    public synchronized long bytes() {
        return cached + pending;
    }

    /** Whether a value of this size would be cached after a ranged read. */
    boolean admits(long size) {
        return size >= SMALLEST && size <= capacity;
    }

    /** Which version an entry holds: {@code versionId} null for the key's current version. */
    private record Slot(BucketFile bucket, String key, String versionId) {
    }

    /**
     * A cached version: its description (encryption included) as read with its value, and for
     * the current version the part boundaries ({@code parts} empty when it was not completed from
     * parts). Never changed once made; {@code value} is never handed out, only copied from.
     */
    static final class Entry {
        final ObjectInfo info;
        final boolean current;
        final List<ObjectPart> parts;
        final byte[] value;
        /** Bytes of the memory budget this entry holds until it is dropped and unpinned. */
        private long held;
        private int pins;
        private boolean dropped;

        private Entry(ObjectInfo info, boolean current, List<ObjectPart> parts, byte[] value, long held) {
            this.info = info;
            this.current = current;
            this.parts = List.copyOf(parts);
            this.value = value;
            this.held = held;
        }
    }

    /**
     * The cached entry of that version (the current one when {@code versionId} is null), pinned:
     * the caller copies what it needs and then {@link #unpin}s it. Null when there is none.
     */
    Entry find(BucketFile bucket, String key, String versionId) {
        if (empty) {
            return null;
        }
        synchronized (this) {
            Entry entry = entries.get(new Slot(bucket, key, versionId));
            if (entry == null && versionId != null) {
                Entry current = entries.get(new Slot(bucket, key, null));
                if (current != null && current.info.versionId().equals(versionId)) {
                    entry = current;
                }
            }
            if (entry != null) {
                entry.pins++;
            }
            return entry;
        }
    }

    void unpin(Entry entry) {
        long freed = 0;
        synchronized (this) {
            entry.pins--;
            if (entry.pins == 0 && entry.dropped) {
                freed = entry.held;
                entry.held = 0;
            }
        }
        release.accept(freed);
    }

    /**
     * Waits (up to {@code timeout}) while another request reads that version into the cache, so
     * that concurrent ranges of one object read it from SQLite once. Returns at once when none does.
     */
    void awaitLoad(BucketFile bucket, String key, String versionId, long timeout, TimeUnit unit) {
        if (empty) {
            return;
        }
        Load load;
        synchronized (this) {
            load = loading.get(new Slot(bucket, key, versionId));
        }
        if (load != null) {
            load.await(timeout, unit);
        }
    }

    /**
     * Starts reading a whole value of {@code size} bytes into the cache: holds its bytes in the
     * memory budget (first evicting this cache's least recently used entries if it would exceed its
     * capacity). Null when the value is not to be cached: too small or too large, already being read,
     * or the budget has no room for it now.
     *
     * @param current whether the version is the key's current one (its entry then serves reads
     *                without a version id too)
     */
    Load begin(BucketFile bucket, String key, String versionId, boolean current, long size) {
        if (!admits(size)) {
            return null;
        }
        Slot slot = new Slot(bucket, key, current ? null : versionId);
        Load load = new Load(slot, size);
        long freed = 0;
        boolean fits;
        synchronized (this) {
            if (loading.containsKey(slot) || entries.containsKey(slot)) {
                // being read, or read since this request looked (of a version this request cannot tell)
                return null;
            }
            Iterator<Entry> oldest = entries.values().iterator();
            while (cached + pending + size > capacity && oldest.hasNext()) {
                Entry entry = oldest.next();
                oldest.remove();
                freed += drop(entry);
            }
            fits = cached + pending + size <= capacity;
            if (fits) {
                pending += size;
                loading.put(slot, load);
                empty = false;
            }
        }
        release.accept(freed);
        if (!fits) {
            return null;
        }
        if (!hold.test(size)) {
            synchronized (this) {
                pending -= size;
                loading.remove(slot, load);
                empty = entries.isEmpty() && loading.isEmpty();
            }
            load.done.countDown();
            return null;
        }
        return load;
    }

    /** A value being read into the cache; {@link #complete} or {@link #abandon} it, once. */
    final class Load {
        private final Slot slot;
        private final long size;
        private final CountDownLatch done = new CountDownLatch(1);
        private boolean cancelled;

        private Load(Slot slot, long size) {
            this.slot = slot;
            this.size = size;
        }

        /**
         * Stores the value read, pinned for the caller (who copies its range and then
         * {@link #unpin}s it), unless a write or the budget cancelled the load meanwhile or
         * {@code unchanged} says the bucket was written since the read's snapshot was taken
         * (evaluated under the cache's lock, which every invalidation takes). The returned entry
         * is usable either way; when it was not stored, its bytes leave the budget at unpin.
         */
        Entry complete(ObjectInfo info, boolean current, List<ObjectPart> parts, byte[] value, BooleanSupplier unchanged) {
            boolean whole = value.length == size;
            // a row whose value is not as long as its size says is served as it is, never kept
            Entry entry = new Entry(info, current, parts, value, whole ? size : 0);
            entry.pins = 1;
            long freed = whole ? 0 : size;
            synchronized (RangeCache.this) {
                loading.remove(slot, this);
                pending -= size;
                if (whole && !cancelled && unchanged.getAsBoolean()) {
                    Entry replaced = entries.put(slot, entry);
                    if (replaced != null) {
                        freed += drop(replaced);
                    }
                    cached += size;
                } else {
                    entry.dropped = true;
                }
                empty = entries.isEmpty() && loading.isEmpty();
            }
            release.accept(freed);
            done.countDown();
            return entry;
        }

        /** The read failed, or was not wanted after all: its bytes go back to the budget. */
        void abandon() {
            synchronized (RangeCache.this) {
                loading.remove(slot, this);
                pending -= size;
                empty = entries.isEmpty() && loading.isEmpty();
            }
            release.accept(size);
            done.countDown();
        }

        private void await(long timeout, TimeUnit unit) {
            try {
                done.await(timeout, unit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A write to {@code bucket} committed (or failed) that may have changed {@code keys}, or any
     * key when {@code keys} is null: their entries go, and values of them being read are not kept.
     * Called after the write's transaction ended, with the bucket's write count already raised.
     */
    void written(BucketFile bucket, List<String> keys) {
        if (capacity == 0) {
            return;
        }
        // always under the lock, even when the cache looks empty: a value being stored at this
        // moment is either refused by its check of the bucket's write count or dropped here
        long freed = 0;
        synchronized (this) {
            Iterator<Map.Entry<Slot, Entry>> all = entries.entrySet().iterator();
            while (all.hasNext()) {
                Map.Entry<Slot, Entry> next = all.next();
                Slot slot = next.getKey();
                if (slot.bucket() == bucket && (keys == null || keys.contains(slot.key()))) {
                    all.remove();
                    freed += drop(next.getValue());
                }
            }
            for (Load load : loading.values()) {
                if (load.slot.bucket() == bucket && (keys == null || keys.contains(load.slot.key()))) {
                    load.cancelled = true;
                }
            }
            empty = entries.isEmpty() && loading.isEmpty();
        }
        release.accept(freed);
    }

    /**
     * Gives back at least {@code wanted} bytes of the memory budget if the cache holds that much,
     * least recently used entries first; values being read are not kept once read. Entries being
     * copied from give their bytes back when the copy is done.
     *
     * @return the bytes given back now
     */
    public long reclaim(long wanted) {
        if (capacity == 0) {
            return 0;
        }
        long freed = 0;
        synchronized (this) {
            long coming = 0;
            Iterator<Entry> oldest = entries.values().iterator();
            while (freed + coming < wanted && oldest.hasNext()) {
                Entry entry = oldest.next();
                oldest.remove();
                long held = entry.held;
                long now = drop(entry);
                freed += now;
                coming += held - now;
            }
            if (freed + coming < wanted) {
                for (Load load : loading.values()) {
                    load.cancelled = true;
                }
            }
            empty = entries.isEmpty() && loading.isEmpty();
        }
        release.accept(freed);
        return freed;
    }

    /** Takes an entry out of the count; returns the bytes that can be given back now (0 while it is pinned). */
    private long drop(Entry entry) {
        entry.dropped = true;
        cached -= entry.held;
        if (entry.pins > 0) {
            return 0;
        }
        long freed = entry.held;
        entry.held = 0;
        return freed;
    }

    /** How many values are cached now, for tests. */
    synchronized int size() {
        return entries.size();
    }

    /** The keys cached now of one bucket, for tests. */
    synchronized List<String> keys(BucketFile bucket) {
        List<String> keys = new ArrayList<>();
        for (Slot slot : entries.keySet()) {
            if (slot.bucket() == bucket) {
                keys.add(slot.key() + (slot.versionId() == null ? "" : "?versionId=" + slot.versionId()));
            }
        }
        return keys;
    }
}

package io.github.s3ite.server.lifecycle;

import java.util.List;
import java.util.Map;

/**
 * A rule's {@code Filter}: empty (every object), one predicate, or an {@code And} of two or more.
 * Kept in the form it was written, so that GetBucketLifecycleConfiguration gives it back as sent.
 *
 * @param prefix                the key prefix, or null for none
 * @param tags                  the tags an object must carry, each key once; never null
 * @param objectSizeGreaterThan objects larger than this many bytes, or null
 * @param objectSizeLessThan    objects smaller than this many bytes, or null
 * @param and                   whether the predicates were written inside {@code And}
 */
public record LifecycleFilter(String prefix, List<Tag> tags, Long objectSizeGreaterThan, Long objectSizeLessThan,
                              boolean and) {
    /** The empty filter: the rule applies to every object. */
    public static final LifecycleFilter ALL = new LifecycleFilter(null, List.of(), null, null, false);

    public LifecycleFilter {
        tags = List.copyOf(tags);
    }

    /**
     * A tag a filter names. A tag written without {@code Value} matches objects whose tag has no
     * value (an empty one), as S3's user guide says.
     *
     * @param value the value as written, or null when the element was left out
     */
    public record Tag(String key, String value) {
        boolean isCarriedBy(Map<String, String> objectTags) {
            String carried = objectTags.get(key);
            return carried != null && carried.equals(value == null ? "" : value);
        }
    }

    /** Whether an object of this key, size and tags is one the filter selects. Sizes are exclusive bounds. */
    boolean selects(String key, long size, Map<String, String> objectTags) {
        if (prefix != null && !key.startsWith(prefix)) {
            return false;
        }
        for (Tag tag : tags) {
            if (!tag.isCarriedBy(objectTags)) {
                return false;
            }
        }
        return (objectSizeGreaterThan == null || size > objectSizeGreaterThan)
                && (objectSizeLessThan == null || size < objectSizeLessThan);
    }

    /** Whether the filter reads object tags, which AbortIncompleteMultipartUpload and ExpiredObjectDeleteMarker cannot use. */
    public boolean usesTags() {
        return !tags.isEmpty();
    }

    /** Whether the filter reads object sizes, which AbortIncompleteMultipartUpload and ExpiredObjectDeleteMarker cannot use. */
    public boolean usesSizes() {
        return objectSizeGreaterThan != null || objectSizeLessThan != null;
    }
}

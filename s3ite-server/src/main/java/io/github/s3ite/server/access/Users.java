package io.github.s3ite.server.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The users of a server. The first is the server's own: it owns the buckets no user created (seeds,
 * files of the original s3ite, buckets made by the fixture). With none, the server is anonymous:
 * nothing is checked.
 */
public final class Users {
    private final List<Identity> all;
    private final Map<String, Identity> byAccessKey = new LinkedHashMap<>();
    private final Map<String, Identity> byCanonicalId = new LinkedHashMap<>();
    private final Map<String, Identity> byEmail = new LinkedHashMap<>();

    public Users(List<Identity> users) {
        this.all = List.copyOf(users);
        for (Identity user : users) {
            byAccessKey.put(user.accessKey(), user);
            byCanonicalId.put(user.canonicalId(), user);
            byEmail.put(user.email().toLowerCase(Locale.ROOT), user);
        }
    }

    /** Whether access is checked at all: only when the server has users. */
    public boolean enforced() {
        return !all.isEmpty();
    }

    public List<Identity> all() {
        return all;
    }

    /** The server's own user, or null on an anonymous server. */
    public Identity first() {
        return all.isEmpty() ? null : all.get(0);
    }

    public Identity byAccessKey(String accessKey) {
        return accessKey == null ? null : byAccessKey.get(accessKey);
    }

    public Identity byCanonicalId(String canonicalId) {
        return canonicalId == null ? null : byCanonicalId.get(canonicalId);
    }

    public Identity byEmail(String email) {
        return email == null ? null : byEmail.get(email.toLowerCase(Locale.ROOT));
    }

    /** Access key to secret key, for signature verification. */
    public Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (Identity user : all) {
            secrets.put(user.accessKey(), user.secretKey());
        }
        return secrets;
    }
}

package io.github.s3ite.server.storage;

/**
 * A bucket's versioning state, as S3 names it. A bucket starts {@link #UNVERSIONED} and, once
 * versioning was enabled, is only ever {@link #ENABLED} or {@link #SUSPENDED}.
 *
 * @param mfaDelete {@code Disabled} when a configuration said so, else null (never {@code Enabled}:
 *                  there is no MFA device to check)
 */
public record Versioning(Status status, String mfaDelete) {
    public static final Versioning UNVERSIONED = new Versioning(Status.UNVERSIONED, null);

    public enum Status {
        UNVERSIONED(null), ENABLED("Enabled"), SUSPENDED("Suspended");

        private final String s3Name;

        Status(String s3Name) {
            this.s3Name = s3Name;
        }

        /** {@code Enabled} or {@code Suspended}; null for a bucket never versioned. */
        public String s3Name() {
            return s3Name;
        }
    }

    /** Whether new objects get a version id of their own (else they are the {@code null} version). */
    boolean enabled() {
        return status == Status.ENABLED;
    }

    /** The document kept in {@code bucket_configuration}, as GetBucketVersioning answers it. */
    String document() {
        StringBuilder xml = new StringBuilder(
                "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        if (status.s3Name() != null) {
            xml.append("<Status>").append(status.s3Name()).append("</Status>");
        }
        if (mfaDelete != null) {
            xml.append("<MfaDelete>").append(mfaDelete).append("</MfaDelete>");
        }
        return xml.append("</VersioningConfiguration>").toString();
    }

    /** Reads back a document written by {@link #document()}. */
    static Versioning parse(String document) {
        if (document == null) {
            return UNVERSIONED;
        }
        Status status = document.contains("<Status>Enabled</Status>") ? Status.ENABLED
                : document.contains("<Status>Suspended</Status>") ? Status.SUSPENDED : Status.UNVERSIONED;
        String mfaDelete = document.contains("<MfaDelete>Disabled</MfaDelete>") ? "Disabled" : null;
        return new Versioning(status, mfaDelete);
    }
}

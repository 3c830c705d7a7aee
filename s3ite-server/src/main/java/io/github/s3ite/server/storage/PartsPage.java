package io.github.s3ite.server.storage;

import java.util.List;

/** A page of ListParts: the upload, its parts after the marker, and whether more follow. */
public record PartsPage(UploadInfo upload, List<PartInfo> parts, boolean truncated, int nextPartNumberMarker) {
}

package io.rge.training.data;

/**
 * What a run's data file was, for provenance: its path, size and SHA-256 (null for image sources,
 * which are too large to hash at every start; their size and modification time stand in).
 *
 * @param path absolute path
 * @param bytes size in bytes, or -1 for a folder (not walked: it may hold millions of images)
 * @param sha256 hex digest, or null
 * @param lastModified modification time in epoch milliseconds
 */
public record DataFingerprint(String path, long bytes, String sha256, long lastModified) {}

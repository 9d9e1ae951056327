package io.rge.eval.report;

/**
 * How a dataset was evaluated, beyond its score.
 *
 * @param dataFingerprint SHA-256 of its parquet files (names and bytes)
 * @param rowsRead rows in the files
 * @param uniqueQueries distinct (text, image) queries embedded for it
 * @param queriesEmbedded of those, embedded in this run
 * @param queriesCached of those, read from the cache
 * @param uniqueCandidates distinct (text, image) candidates
 * @param candidatesEmbedded of those, embedded in this run
 * @param candidatesCached of those, read from the cache
 * @param embAppended queries whose rationale reached the token limit
 * @param seconds wall time spent on the dataset
 */
public record DatasetRunInfo(
    String dataFingerprint,
    long rowsRead,
    int uniqueQueries,
    int queriesEmbedded,
    int queriesCached,
    int uniqueCandidates,
    int candidatesEmbedded,
    int candidatesCached,
    int embAppended,
    double seconds) {}

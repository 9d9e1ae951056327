package io.rge.training.rationales;

import io.rge.data.mmeb.MmebTrainReader;
import io.rge.data.rationale.RationaleFiles;
import java.nio.file.Path;

/**
 * Where curation writes one subset split in its output folder: the rationales under the name {@link
 * RationaleFiles} looks for ({@code <Subset>.jsonl} for the original split, {@code
 * <Subset>.<split>.jsonl} for another), the rejected answers and the stats beside them.
 *
 * @param rationales {@code {"id", "rationale", "qry"}} lines, what training reads
 * @param rejected {@code {"id", "reason", "output"}} lines: answers the filters dropped
 * @param stats the subset's {@code stats.json}
 */
public record CurationFiles(Path rationales, Path rejected, Path stats) {
  public static CurationFiles of(Path outDir, String subset, String split) {
    String stem = split.equals(MmebTrainReader.ORIGINAL) ? subset : subset + "." + split;
    return new CurationFiles(
        outDir.resolve(stem + ".jsonl"),
        outDir.resolve(stem + ".rejected.jsonl"),
        outDir.resolve(stem + ".stats.json"));
  }
}

package io.rge.data.synth;

import io.rge.data.registry.DatasetInfo;
import io.rge.data.registry.DatasetRegistry;
import io.rge.data.registry.Distribution;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * RGE-Synth, the synthetic reasoning dataset: entry points to generate it and to describe it.
 *
 * <p>Layout ({@link SynthLayout}): {@code train/<Subset>/original-00000-of-00001.parquet}
 * (MMEB-train columns; the 8 task datasets on seen compositions plus {@value #FACTS} and {@value
 * #DESCRIBE}), {@code eval/<Dataset>/test-00000-of-00001.parquet} (MMEB-eval columns, held-out
 * compositions), {@code eval-seen/...} (seen compositions), {@code images/...} (56 x 56 PNG;
 * parquet image paths are relative to it), {@code rationales/<Subset>.jsonl} ({@code {"id",
 * "rationale", "qry"}}) and {@code synth.json} ({@link SynthManifest}).
 */
public final class RgeSynth {
  /**
   * Text-only facts "what is {t} of {c} ?" -> "{t(c)}", all 48 pairs including the held-out ones.
   */
  public static final String FACTS = "SynthFacts";

  /** Perception rows "describe this shape" -> "{c} {s}". */
  public static final String DESCRIBE = "SynthDescribe";

  private RgeSynth() {}

  /**
   * Generates RGE-Synth into {@code out} (through a temp folder renamed into place).
   *
   * @param force replace a non-empty {@code out}; without it such a folder is an error
   * @return the manifest written to {@code out/synth.json}
   */
  public static SynthManifest generate(Path out, long seed, SynthSize size, boolean force) {
    return generate(out, seed, size, RationaleStyle.STANDARD, force);
  }

  /**
   * Generates RGE-Synth with the task rows' oracle rationales in {@code style}; everything else is
   * as {@link #generate(Path, long, SynthSize, boolean)} writes it for the same seed.
   */
  public static SynthManifest generate(
      Path out, long seed, SynthSize size, RationaleStyle style, boolean force) {
    return new SynthGenerator(seed, size, style).generate(out, force);
  }

  /** Every word any generated text can contain, sorted; {@code <|image_1|>} is not included. */
  public static SortedSet<String> vocabulary() {
    return SynthText.vocabulary();
  }

  /**
   * The 8 eval datasets with their meta-tasks, all IND (each has a training subset of the same
   * name).
   */
  public static DatasetRegistry registry() {
    List<DatasetInfo> datasets = new ArrayList<>();
    for (SynthTask task : SynthTask.values()) {
      datasets.add(
          new DatasetInfo(
              task.datasetName(), task.metaTask(), Distribution.IND, task.datasetName()));
    }
    return new DatasetRegistry("RGE-Synth", datasets);
  }

  /** The 10 training subsets: {@value #FACTS}, {@value #DESCRIBE} and the 8 task datasets. */
  public static List<String> trainSubsets() {
    List<String> subsets = new ArrayList<>(List.of(FACTS, DESCRIBE));
    for (SynthTask task : SynthTask.values()) {
      subsets.add(task.datasetName());
    }
    return subsets;
  }
}

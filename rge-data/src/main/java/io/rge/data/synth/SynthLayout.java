package io.rge.data.synth;

import java.nio.file.Path;

/**
 * Where things are in an RGE-Synth folder: MMEB-train layout under {@code train/}, MMEB-eval layout
 * under {@code eval/} (held-out compositions) and {@code eval-seen/} (seen compositions), images
 * under {@code images/} (the root all image paths are relative to), rationales under {@code
 * rationales/}, the manifest at {@code synth.json}. Each eval dataset folder also holds its rows'
 * oracle rationales ({@code rationales.jsonl}, the training rationale format): the truth a
 * generated rationale is checked against, never given to a model.
 */
public record SynthLayout(Path root) {
  public static final String MANIFEST = "synth.json";
  public static final String EVAL_RATIONALES = "rationales.jsonl";

  public Path trainRoot() {
    return root.resolve("train");
  }

  public Path evalRoot() {
    return root.resolve("eval");
  }

  public Path evalSeenRoot() {
    return root.resolve("eval-seen");
  }

  /** The oracle rationales of an eval dataset's rows, on the seen or held-out split. */
  public Path evalRationales(boolean seen, String dataset) {
    return (seen ? evalSeenRoot() : evalRoot()).resolve(dataset).resolve(EVAL_RATIONALES);
  }

  public Path imageRoot() {
    return root.resolve("images");
  }

  public Path rationaleRoot() {
    return root.resolve("rationales");
  }

  public Path manifest() {
    return root.resolve(MANIFEST);
  }
}

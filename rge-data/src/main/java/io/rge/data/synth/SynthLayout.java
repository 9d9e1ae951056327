package io.rge.data.synth;

import java.nio.file.Path;

/**
 * Where things are in an RGE-Synth folder: MMEB-train layout under {@code train/}, MMEB-eval layout
 * under {@code eval/} (held-out compositions) and {@code eval-seen/} (seen compositions), images
 * under {@code images/} (the root all image paths are relative to), rationales under {@code
 * rationales/}, the manifest at {@code synth.json}.
 */
public record SynthLayout(Path root) {
  public static final String MANIFEST = "synth.json";

  public Path trainRoot() {
    return root.resolve("train");
  }

  public Path evalRoot() {
    return root.resolve("eval");
  }

  public Path evalSeenRoot() {
    return root.resolve("eval-seen");
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

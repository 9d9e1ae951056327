package io.rge.eval;

import io.rge.data.registry.DatasetRegistry;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluation data in MMEB-eval layout: {@code <root>/<Dataset>/test-*.parquet}, images addressed
 * relative to an image source, and the registry that gives each dataset its meta-task and IND/OOD
 * label.
 *
 * @param name what is evaluated, for reports (e.g. "MMEB", "RGE-Synth eval")
 * @param root the folder holding one folder per dataset
 * @param images a folder or zip of the images the rows reference, or null when there is none (rows
 *     with images are then missing their images)
 * @param registry the datasets and their labels
 */
public record EvalData(String name, Path root, Path images, DatasetRegistry registry) {
  private static final Logger LOG = LoggerFactory.getLogger(EvalData.class);

  public EvalData {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(registry, "registry");
  }

  /**
   * MMEB-eval at {@code root} with its 36-dataset registry.
   *
   * @param images the image zip or folder; null to look for {@code images.zip} or {@code images/}
   *     inside {@code root}, then beside it
   */
  public static EvalData mmeb(Path root, Path images) {
    return new EvalData(
        "MMEB", root, images != null ? images : findImages(root), DatasetRegistry.mmeb());
  }

  /**
   * An RGE-Synth folder's held-out eval split ({@code eval/}) or, with {@code seen}, its {@code
   * eval-seen/} split; images from its {@code images/}; the RGE-Synth registry.
   */
  public static EvalData synth(Path synthRoot, boolean seen) {
    SynthLayout layout = new SynthLayout(synthRoot);
    if (!Files.isRegularFile(layout.manifest())) {
      throw new IllegalArgumentException(
          synthRoot + " is not an RGE-Synth folder (no " + SynthLayout.MANIFEST + ")");
    }
    return new EvalData(
        seen ? "RGE-Synth eval-seen" : "RGE-Synth eval",
        seen ? layout.evalSeenRoot() : layout.evalRoot(),
        layout.imageRoot(),
        RgeSynth.registry());
  }

  /**
   * What a user's {@code --data} folder holds: an RGE-Synth folder (its {@code eval/}), one of an
   * RGE-Synth folder's eval splits ({@code eval/} or {@code eval-seen/}), or else MMEB-eval.
   *
   * @param images an explicit image source, or null for the default of the data kind
   */
  public static EvalData locate(Path data, Path images) {
    Path abs = data.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new IllegalArgumentException("data folder not found: " + data);
    }
    EvalData found;
    if (Files.isRegularFile(abs.resolve(SynthLayout.MANIFEST))) {
      found = synth(abs, false);
    } else if (abs.getParent() != null
        && Files.isRegularFile(abs.getParent().resolve(SynthLayout.MANIFEST))) {
      SynthLayout layout = new SynthLayout(abs.getParent());
      boolean seen = abs.equals(layout.evalSeenRoot());
      if (!seen && !abs.equals(layout.evalRoot())) {
        throw new IllegalArgumentException(
            data + " is inside an RGE-Synth folder but is neither its eval/ nor eval-seen/");
      }
      found = synth(layout.root(), seen);
    } else {
      return mmeb(abs, images);
    }
    return images == null ? found : new EvalData(found.name, found.root, images, found.registry);
  }

  /** {@code images.zip} or {@code images/} inside {@code root}, then beside it; null if none. */
  static Path findImages(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    List<Path> places = abs.getParent() == null ? List.of(abs) : List.of(abs, abs.getParent());
    for (Path place : places) {
      for (String name : List.of("images.zip", "images")) {
        Path candidate = place.resolve(name);
        if (name.endsWith(".zip") ? Files.isRegularFile(candidate) : Files.isDirectory(candidate)) {
          LOG.info("images: {}", candidate);
          return candidate;
        }
      }
    }
    LOG.warn(
        "no images.zip or images/ in or beside {}; rows with images will count as missing", abs);
    return null;
  }
}

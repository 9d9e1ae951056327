package io.rge.training.data;

import io.rge.data.RgeDataException;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.ImageStore;
import io.rge.data.images.ImageStores;
import io.rge.data.mixture.LoadedSubset;
import io.rge.data.mixture.SubsetSpec;
import io.rge.data.mixture.TrainSubsetLoader;
import io.rge.data.mixture.TrainingMixture;
import io.rge.data.mmeb.ImagePlaceholder;
import io.rge.data.mmeb.MmebTrainReader;
import io.rge.data.mmeb.TrainRow;
import io.rge.data.rationale.RationaleFiles;
import io.rge.data.synth.SynthLayout;
import io.rge.data.synth.SynthManifest;
import io.rge.training.config.TrainConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training data of a run: subsets read into memory (caps, rationales, image checks applied by
 * {@link TrainSubsetLoader}), mixed into micro-batches by a {@link TrainingMixture}, plus the image
 * store the rows' paths resolve in and fingerprints of the files read. Closing it closes the image
 * store.
 */
public final class TrainingData implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);

  private final TrainConfig.Data config;
  private final ImageStore images;
  private final List<LoadedSubset> subsets;
  private final TrainingMixture<TrainRow> mixture;

  private TrainingData(
      TrainConfig.Data config,
      ImageStore images,
      List<LoadedSubset> subsets,
      TrainingMixture<TrainRow> mixture) {
    this.config = config;
    this.images = images;
    this.subsets = subsets;
    this.mixture = mixture;
  }

  /**
   * Reads the subsets {@code config} names (all under the root when none are named) and mixes them
   * into batches of {@code batchSize} rows, shuffled from {@code seed}.
   *
   * @throws RgeDataException when files are missing or malformed
   */
  public static TrainingData open(TrainConfig.Data config, int batchSize, long seed) {
    return open(config, batchSize, seed, 0);
  }

  /**
   * As {@link #open(TrainConfig.Data, int, long)}, for a model whose image processor keeps at most
   * {@code decodeTarget} pixels ({@code ImageProcessorConfig.decodeTarget()}, 0: full size): larger
   * images are decoded subsampled, never held at full size.
   */
  public static TrainingData open(
      TrainConfig.Data config, int batchSize, long seed, long decodeTarget) {
    Path root = Path.of(config.trainRoot());
    if (!Files.isDirectory(root)) {
      throw new RgeDataException("data.train_root " + root + " is not a folder");
    }
    ImageStore images = openImages(config, decodeTarget);
    try {
      Path rationales = config.rationales() == null ? null : Path.of(config.rationales());
      TrainSubsetLoader loader =
          new TrainSubsetLoader(
              root, rationales, images, config.missingImage(), config.missingRationale());
      List<LoadedSubset> loaded = new ArrayList<>();
      for (SubsetSpec spec : specs(config, root)) {
        LoadedSubset subset = loader.load(spec);
        if (subset.rows().isEmpty()) {
          throw new RgeDataException(
              "subset " + spec.name() + "/" + spec.split() + " has no usable rows in " + root);
        }
        if (images == null && subset.rows().stream().anyMatch(r -> !r.imagePaths().isEmpty())) {
          throw new RgeDataException(
              "subset "
                  + spec.name()
                  + " has rows with images but data.images names no image source");
        }
        loaded.add(subset);
      }
      TrainingMixture<TrainRow> mixture =
          TrainingMixture.forSubsets(seed, batchSize, loaded).mode(config.batchMode()).build();
      LOG.info(
          "training data: {} subsets, {} rows, {} batches of {} per epoch",
          loaded.size(),
          loaded.stream().mapToLong(s -> s.rows().size()).sum(),
          mixture.batchesPerEpoch(),
          batchSize);
      return new TrainingData(config, images, List.copyOf(loaded), mixture);
    } catch (RuntimeException e) {
      if (images != null) {
        images.close();
      }
      throw e;
    }
  }

  private static ImageStore openImages(TrainConfig.Data config, long decodeTarget) {
    if (config.images().isEmpty()) {
      return null;
    }
    return ImageStores.openAll(
        config.images().stream().map(Path::of).toList(),
        new ImageLimits(config.maxImagePixels()).resizedTo(decodeTarget),
        config.imagePrefix());
  }

  private static List<SubsetSpec> specs(TrainConfig.Data config, Path root) {
    List<SubsetSpec> specs = new ArrayList<>();
    if (config.subsets().isEmpty()) {
      List<String> names = MmebTrainReader.subsets(root, config.split());
      if (names.isEmpty()) {
        throw new RgeDataException(
            "no subsets with " + config.split() + "-*.parquet files under " + root);
      }
      for (String name : names) {
        specs.add(new SubsetSpec(name, config.split(), config.capPerSubset(), 1.0));
      }
    } else {
      for (TrainConfig.Subset s : config.subsets()) {
        specs.add(
            new SubsetSpec(
                s.name(),
                s.split() == null ? config.split() : s.split(),
                s.cap() == null ? config.capPerSubset() : s.cap(),
                s.weight()));
      }
    }
    return specs;
  }

  public TrainingMixture<TrainRow> mixture() {
    return mixture;
  }

  /** The image store, or null when the config names no image source. */
  public ImageStore images() {
    return images;
  }

  public List<LoadedSubset> subsets() {
    return subsets;
  }

  /**
   * Texts a from-scratch word-level vocabulary must cover, deterministically: every query, target,
   * negative and rationale of the loaded rows (image placeholders removed), plus the vocabulary of
   * an RGE-Synth manifest next to the train root when there is one (it also covers the evaluation
   * texts).
   */
  public SortedSet<String> vocabularyTexts() {
    SortedSet<String> texts = new TreeSet<>();
    Path manifest = Path.of(config.trainRoot()).toAbsolutePath().normalize().getParent();
    if (manifest != null && Files.isRegularFile(new SynthLayout(manifest).manifest())) {
      texts.addAll(SynthManifest.read(manifest).vocabulary());
    }
    for (LoadedSubset subset : subsets) {
      for (TrainRow row : subset.rows()) {
        add(texts, row.qry());
        add(texts, row.posText());
        add(texts, row.negText());
        add(texts, row.rationale());
      }
    }
    return texts;
  }

  private static void add(SortedSet<String> texts, String text) {
    if (text != null) {
      texts.add(text.replace(ImagePlaceholder.TOKEN, " "));
    }
  }

  /**
   * Fingerprints of what was read: every parquet file and rationale file (with SHA-256), and each
   * image source (size and time only).
   */
  public List<DataFingerprint> fingerprints() {
    List<DataFingerprint> out = new ArrayList<>();
    Path root = Path.of(config.trainRoot());
    for (LoadedSubset subset : subsets) {
      for (Path file :
          MmebTrainReader.subsetFiles(root, subset.spec().name(), subset.spec().split())) {
        out.add(hashed(file));
      }
      if (config.rationales() != null) {
        RationaleFiles.locate(
                Path.of(config.rationales()), subset.spec().name(), subset.spec().split())
            .ifPresent(file -> out.add(hashed(file)));
      }
    }
    for (String source : config.images()) {
      out.add(sized(Path.of(source)));
    }
    return out;
  }

  private static DataFingerprint hashed(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      String digest =
          HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
      return new DataFingerprint(
          file.toAbsolutePath().toString(),
          Files.size(file),
          digest,
          Files.getLastModifiedTime(file).toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fingerprint " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static DataFingerprint sized(Path source) {
    try {
      // A folder of extracted images can hold millions of files: it is not walked.
      long bytes = Files.isDirectory(source) ? -1 : Files.size(source);
      return new DataFingerprint(
          source.toAbsolutePath().toString(),
          bytes,
          null,
          Files.getLastModifiedTime(source).toMillis());
    } catch (IOException e) {
      throw new RgeDataException("cannot read image source " + source + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (images != null) {
      images.close();
    }
  }
}

package io.rge.training.checkpoint;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rge.core.CheckpointFolderWriter;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.StagedFolder;
import io.rge.core.safetensors.DType;
import io.rge.core.tokenizer.QwenTokenizer;
import io.rge.training.optim.AdamW;
import io.rge.training.precision.MasterWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of a run, as {@code <folder>/step-00000010/} folders. Each is a model folder that
 * RGE and transformers load ({@code model.safetensors}, {@code config.json}, {@code
 * tokenizer.json}, {@code preprocessor_config.json}; bf16 weights when training in a half
 * precision) plus the training files: {@value #MOMENTS_FILE}, {@value #MASTERS_FILE} (half
 * precisions), {@value #STATE_FILE}, {@code provenance.json}, and the completion marker {@code
 * checkpoint.json} (see {@link CheckpointManifest}), written last. The folder is assembled under a
 * temporary name and appears by one rename ({@link StagedFolder}); older checkpoints are deleted
 * only after a newer one is complete.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

  /** AdamW moments, keyed by weight name. */
  public static final String MOMENTS_FILE = "optimizer.safetensors";

  /**
   * fp32 master copies of the half-precision trainable weights (mixed-precision runs only), keyed
   * by weight name.
   */
  public static final String MASTERS_FILE = "master_weights.safetensors";

  /** {@link TrainerState} as JSON. */
  public static final String STATE_FILE = "trainer_state.json";

  private static final Pattern NAME = Pattern.compile("step-(\\d{8})");
  private static final Pattern TEMPORARY = Pattern.compile("\\.step-\\d{8}\\.tmp-.*");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path folder;

  public CheckpointStore(Path folder) {
    this.folder = folder.toAbsolutePath().normalize();
  }

  public Path folder() {
    return folder;
  }

  /** Where the checkpoint of {@code step} goes. */
  public Path folderFor(long step) {
    return folder.resolve(String.format("step-%08d", step));
  }

  /**
   * Writes the checkpoint of {@code state.step()}: model, moments, state, provenance, and last the
   * marker. A broken folder already under that name (from an earlier run that resumed before it) is
   * moved aside first.
   */
  public Path save(
      RgeModel model,
      AdamW optimizer,
      MasterWeights masters,
      TrainerState state,
      CheckpointProvenance provenance)
      throws IOException {
    Path dir = folderFor(state.step());
    if (Files.exists(dir)) {
      quarantine(dir, "it is in the way of a new checkpoint of the same step");
    }
    Files.createDirectories(folder);
    // A half-precision run writes bf16 weights (its trained ones: the fp32 masters, rounded), as
    // the published checkpoints are; the exact masters go beside them for resuming.
    boolean half = model.network().weights().storage() != DataType.FLOAT32;
    try (StagedFolder staged = StagedFolder.create(dir)) {
      Path tmp = staged.path();
      CheckpointFolderWriter.of(model)
          .optWeights(
              masters.over(model.network().weights().currentValues()),
              half ? DType.BF16 : DType.F32)
          .writeInto(tmp);
      if (masters.hasHalfWeights()) {
        masters.write(tmp.resolve(MASTERS_FILE));
      }
      optimizer.writeMoments(tmp.resolve(MOMENTS_FILE));
      Files.writeString(tmp.resolve(STATE_FILE), JSON.writeValueAsString(state) + "\n");
      provenance.write(tmp.resolve(CheckpointProvenance.FILE_NAME));
      CheckpointManifest.write(tmp, state.step()); // last: it lists every file above
      staged.commit();
    }
    return dir;
  }

  /** Checkpoint folders, newest (highest step) first; complete or not. */
  public List<Path> list() throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(p -> Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(CheckpointStore::stepOf).reversed())
          .toList();
    }
  }

  /** The step a checkpoint folder's name carries. */
  public static long stepOf(Path dir) {
    Matcher m = NAME.matcher(dir.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(dir + " is not a checkpoint folder (step-NNNNNNNN)");
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * Checks that {@code dir} is complete and intact and that its state is readable and of the step
   * its name says.
   *
   * @return the problem, or empty when it is usable
   */
  public Optional<String> verify(Path dir) {
    Optional<String> problem =
        CheckpointManifest.verify(
            dir,
            List.of(
                Qwen25VLConfig.FILE_NAME,
                QwenTokenizer.FILE_NAME,
                MOMENTS_FILE,
                STATE_FILE,
                CheckpointProvenance.FILE_NAME));
    if (problem.isPresent()) {
      return problem;
    }
    try {
      TrainerState state = readState(dir);
      if (state.step() != stepOf(dir)) {
        return Optional.of(STATE_FILE + " is at step " + state.step() + ", not " + stepOf(dir));
      }
    } catch (IOException | RuntimeException e) {
      return Optional.of(STATE_FILE + " is unreadable: " + e.getMessage());
    }
    return Optional.empty();
  }

  /** Reads the trainer state of a checkpoint. */
  public TrainerState readState(Path dir) throws IOException {
    return JSON.readValue(dir.resolve(STATE_FILE).toFile(), TrainerState.class);
  }

  /**
   * Moves an unusable checkpoint aside as {@code step-NNNNNNNN.broken[-k]}, where it no longer
   * counts but can still be inspected.
   */
  public Path quarantine(Path dir, String reason) throws IOException {
    Path target = dir.resolveSibling(dir.getFileName() + ".broken");
    for (int k = 2; Files.exists(target); k++) {
      target = dir.resolveSibling(dir.getFileName() + ".broken-" + k);
    }
    Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    LOG.warn("moved checkpoint {} aside to {}: {}", dir, target.getFileName(), reason);
    return target;
  }

  /**
   * Deletes complete checkpoints beyond the newest {@code keep}, and any incomplete one older than
   * the newest complete one. Call only after the newest checkpoint has been written.
   */
  public void prune(int keep) throws IOException {
    List<Path> all = list();
    List<Path> complete = new ArrayList<>();
    for (Path dir : all) {
      if (Files.isRegularFile(dir.resolve(CheckpointManifest.FILE_NAME))) {
        complete.add(dir);
      }
    }
    if (complete.isEmpty()) {
      return;
    }
    long newest = stepOf(complete.get(0));
    List<Path> kept = complete.subList(0, Math.min(keep, complete.size()));
    for (Path dir : all) {
      if (!kept.contains(dir) && stepOf(dir) < newest) {
        deleteRecursively(dir);
        LOG.debug("deleted old checkpoint {}", dir);
      }
    }
  }

  /** Deletes temporary folders a killed writer left behind ({@code .step-*.tmp-*}). */
  public void removeStaleTemporaries() throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path p : entries.toList()) {
        if (TEMPORARY.matcher(p.getFileName().toString()).matches()) {
          LOG.warn("removing {}, left by a checkpoint write that did not finish", p);
          deleteRecursively(p);
        }
      }
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

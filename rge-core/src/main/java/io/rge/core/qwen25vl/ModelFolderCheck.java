package io.rge.core.qwen25vl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks, before anything is read, that a folder given as a model is one: a wrong {@code --model}
 * would otherwise fail on a bare "config.json does not exist". The message says what a model folder
 * holds and, when the folder is a training run ({@code checkpoints/step-*} folders) or its {@code
 * checkpoints} folder, lists the checkpoints and suggests the newest. Knows the run layout only as
 * those folder names, so rge-core does not depend on rge-training.
 */
public final class ModelFolderCheck {
  static final String CONTENTS =
      "a model folder holds config.json, model.safetensors (or shards with"
          + " model.safetensors.index.json), tokenizer.json and optionally"
          + " preprocessor_config.json";

  /** How many checkpoints a message lists at most (the newest ones). */
  static final int LISTED = 5;

  private static final String RUN_CHECKPOINTS = "checkpoints";
  private static final Pattern STEP = Pattern.compile("step-(\\d{8})");

  private ModelFolderCheck() {}

  /**
   * @throws CheckpointException when {@code modelDir} is missing, not a folder, or lacks {@code
   *     config.json}
   */
  public static void check(Path modelDir) throws IOException {
    if (!Files.exists(modelDir)) {
      throw new CheckpointException(modelDir + " does not exist; " + CONTENTS);
    }
    if (!Files.isDirectory(modelDir)) {
      throw new CheckpointException(modelDir + " is not a folder; " + CONTENTS);
    }
    if (Files.isRegularFile(modelDir.resolve(Qwen25VLConfig.FILE_NAME))) {
      return;
    }
    List<Path> steps = steps(modelDir.resolve(RUN_CHECKPOINTS));
    String what = "a training run folder";
    if (steps.isEmpty()) {
      steps = steps(modelDir);
      what = "a folder of checkpoints";
    }
    if (steps.isEmpty()) {
      throw new CheckpointException(
          modelDir + " has no " + Qwen25VLConfig.FILE_NAME + "; " + CONTENTS);
    }
    List<String> names = new ArrayList<>();
    if (steps.size() > LISTED) {
      names.add("… " + (steps.size() - LISTED) + " older");
    }
    for (Path s : steps.subList(Math.max(0, steps.size() - LISTED), steps.size())) {
      names.add(s.getFileName().toString());
    }
    throw new CheckpointException(
        modelDir
            + " is "
            + what
            + ", not a model folder ("
            + CONTENTS
            + "); its checkpoints, newest last: "
            + String.join(", ", names)
            + "; to use the newest, pass "
            + steps.get(steps.size() - 1));
  }

  /** The {@code step-N} folders holding a config.json in {@code folder}, oldest first. */
  private static List<Path> steps(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(folder)) {
      return children
          .filter(p -> STEP.matcher(p.getFileName().toString()).matches())
          .filter(p -> Files.isRegularFile(p.resolve(Qwen25VLConfig.FILE_NAME)))
          .sorted(Comparator.comparingLong(ModelFolderCheck::step))
          .toList();
    }
  }

  private static long step(Path dir) {
    Matcher m = STEP.matcher(dir.getFileName().toString());
    m.matches();
    return Long.parseLong(m.group(1));
  }
}

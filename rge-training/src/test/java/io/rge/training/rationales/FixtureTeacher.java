package io.rge.training.rationales;

import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.testfixtures.TestFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The tiny Qwen2.5-VL fixture (random weights) as a teacher, loaded once per test JVM. */
final class FixtureTeacher {
  private static RgeModel model;

  private FixtureTeacher() {}

  static Path dir() {
    return TestFixtures.tinyModel();
  }

  /** The shared model; never closed (the JVM ends with the tests). */
  static synchronized RgeModel model() {
    if (model == null) {
      try {
        model = RgeModel.load(dir(), DeviceChoice.CPU);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return model;
  }

  /** A config whose filters keep whatever the random model writes, unless told otherwise. */
  static CurationConfig keepEverything(int maxNewTokens, int batchSize) {
    return new CurationConfig(
        null,
        "Query: {query}\nTarget: {target}\nWhy does the target answer the query?",
        null,
        null,
        maxNewTokens,
        batchSize,
        new CurationConfig.Filters(false, 0, 4, 0, 0, java.util.List.of()));
  }
}

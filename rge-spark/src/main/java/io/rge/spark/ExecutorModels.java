package io.rge.spark;

import io.rge.core.DjlEngine;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of this JVM (a Spark executor, or the driver in local mode), each loaded by the first
 * task that needs it and kept for every later partition, task and job: loading a checkpoint costs
 * seconds to minutes, a partition's batch far less.
 *
 * <p>Thread safety: an executor runs one task per core at the same time, in one JVM, and {@link
 * RgeModel} serves one caller at a time. {@link ConcurrentHashMap#computeIfAbsent} loads each key
 * exactly once even when several tasks ask together (the others wait for it; a failed load is not
 * kept, the next task tries again), and every use of a model holds that model's lock, so concurrent
 * tasks take turns on it. Turns cost little: PyTorch spreads one forward pass over the cores
 * (intra-op threads), so two passes at once would only compete for them, and the tasks read their
 * rows and decode their images outside the lock, overlapping the other task's pass. For several
 * GPUs on a machine, run one executor per GPU. Models are never closed: they live as long as the
 * executor, and their native memory goes with the process.
 */
final class ExecutorModels {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
  private static final ConcurrentHashMap<ModelKey, Shared> MODELS = new ConcurrentHashMap<>();

  private ExecutorModels() {}

  private record Shared(RgeModel model, ReentrantLock lock) {}

  /** Runs {@code work} on the model of {@code key}, loading it first if this JVM has not yet. */
  static <T> T withModel(ModelKey key, Function<RgeModel, T> work) {
    Shared shared = MODELS.computeIfAbsent(key, ExecutorModels::load);
    shared.lock().lock();
    try {
      return work.apply(shared.model());
    } finally {
      shared.lock().unlock();
    }
  }

  /** How many models this JVM holds. */
  static int loaded() {
    return MODELS.size();
  }

  private static Shared load(ModelKey key) {
    // Executors do not inherit the driver's system properties: DJL must not download or call out.
    DjlEngine.prepareOffline();
    long start = System.nanoTime();
    try {
      RgeModel model =
          RgeModel.load(
              LoadOptions.builder()
                  .setModel(Path.of(key.modelDir()))
                  .optDevice(key.device())
                  .optPrecision(key.precision())
                  .build());
      LOG.info(
          "executor loaded {} in {} s",
          key.modelDir(),
          String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
      return new Shared(model, new ReentrantLock());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot load model " + key.modelDir() + ": " + e.getMessage(), e);
    }
  }
}

package io.rge.training;

import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthLayout;
import io.rge.data.synth.SynthSize;
import io.rge.training.config.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shared fixtures of the trainer tests: a tiny RGE-Synth folder generated once per test JVM, and a
 * small fast config over three of its subsets (62 rows; a 2-layer width-32 tiny preset,
 * micro-batches of 4, 2 accumulated).
 */
public final class TestRuns {
  private static Path synth;

  private TestRuns() {}

  /** RGE-Synth at size {@code tiny}, generated on first use. */
  public static synchronized Path synth() {
    if (synth == null) {
      try {
        Path dir = Files.createTempDirectory("rge-synth-tiny-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        RgeSynth.generate(dir.resolve("synth"), 0, SynthSize.TINY, false);
        synth = dir.resolve("synth");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return synth;
  }

  /** The test config writing to {@code output}, with {@code overrides} ({@code a.b=VALUE}). */
  static TrainConfig config(Path output, String... overrides) throws IOException {
    SynthLayout layout = new SynthLayout(synth());
    String yaml =
        """
        model:
          preset: tiny
          tiny:
            hidden_size: 32
            intermediate_size: 64
            num_hidden_layers: 2
            num_attention_heads: 2
            num_key_value_heads: 1
            mrope_section: [2, 3, 3]
            vision_depth: 1
            vision_hidden_size: 16
            vision_intermediate_size: 32
            vision_num_heads: 1
            fullatt_block_indexes: [0]
        data:
          train_root: %s
          subsets: [{name: SynthFacts}, {name: SynthDescribe}, {name: SynthColorShift}]
          rationales: %s
          images: [%s]
        objective:
          mode: rge
          temperature: 0.05
          max_new_tokens: 6
          lm_warmup_steps: 3
          generation_batch_size: 8
        optimizer:
          lr: 3.0e-3
          weight_decay: 0.01
          max_grad_norm: 1.0
        schedule:
          warmup_steps: 2
          total_steps: 10
          min_lr_ratio: 0.1
        batch_size: 4
        gradient_accumulation: 2
        device: cpu
        threads: 1
        output: %s
        seed: 3
        checkpoint:
          every: 3
          keep: 2
        logging:
          every: 5
          progress_bar: false
        """
            .formatted(layout.trainRoot(), layout.rationaleRoot(), layout.imageRoot(), output);
    Files.createDirectories(output);
    Path file = Files.createTempFile(output.getParent(), "train-", ".yaml");
    Files.writeString(file, yaml);
    return TrainConfig.load(file, List.of(overrides));
  }

  private static void delete(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort at exit
    }
  }
}

package io.rge.cli.train;

import io.rge.cli.Cli;
import io.rge.cli.ConfigOptions;
import io.rge.cli.DeviceOption;
import io.rge.cli.PrecisionOption;
import io.rge.cli.ProgressOption;
import io.rge.cli.TerminalProgress;
import io.rge.core.DeviceChoice;
import io.rge.core.DeviceList;
import io.rge.training.TrainResult;
import io.rge.training.Trainer;
import io.rge.training.config.TrainConfig;
import io.rge.training.memory.MemoryPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rge train --config FILE [--set KEY=VALUE]... [--fresh] [--device D] [--devices LIST]
 * [--threads N] [--precision P]}: trains as the config says, resuming from the newest intact
 * checkpoint in its output folder, and prints the run's summary (JSON) when done.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train an RGE model (joint LM + contrastive objective) from a YAML config.",
      "Resumes from the newest intact checkpoint in the output folder unless --fresh is given.",
      "Writes checkpoints/, metrics.jsonl, loss.png and summary.json to the output folder."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge train --config configs/train-tiny-synth.yaml",
      "  scripts/rge train --config configs/train-qwen25vl-3b-mmeb.yaml --device gpu \\",
      "      --dry-run"
    })
public final class Train implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ConfigOptions configOptions;

  @Option(
      names = "--fresh",
      description =
          "Start from scratch even if the output folder has checkpoints (they are moved into"
              + " previous-<time>/ there, not deleted).")
  private boolean fresh;

  @Mixin private DeviceOption device;

  @Option(
      names = "--devices",
      paramLabel = "LIST",
      converter = DevicesConverter.class,
      description =
          "Data-parallel training, one model replica per device: all (every GPU), gpu0,gpu1,..."
              + " or cpu,cpu (replicas on the CPU); overrides the config's devices.")
  private DeviceList devices;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "PyTorch intra-op threads; overrides the config's threads (1 is fastest for the tiny"
              + " preset).")
  private Integer threads;

  @Option(
      names = "--stop-after",
      paramLabel = "STEP",
      description =
          "Stop after this optimizer step (the schedule keeps its full length) and write a"
              + " checkpoint; a later run resumes from it.")
  private Long stopAfter;

  @Mixin private PrecisionOption precision;

  @Mixin private ProgressOption progress;

  @Option(
      names = "--dry-run",
      description =
          "Print the memory plan (weights, gradients, optimizer state, an activation estimate)"
              + " and stop; an error, with the numbers, when the device cannot hold it.")
  private boolean dryRun;

  @Override
  public Integer call() throws Exception {
    if (stopAfter != null && stopAfter < 1) {
      throw new ParameterException(
          spec.commandLine(), "--stop-after must be a step number >= 1, got " + stopAfter);
    }
    List<String> overrides = new ArrayList<>(configOptions.overrides());
    DeviceChoice givenDevice = device.givenOrNull();
    if (givenDevice != null) {
      overrides.add("device=" + givenDevice.name().toLowerCase(Locale.ROOT));
    }
    if (devices != null) {
      overrides.add("devices=[" + String.join(",", devices.entries()) + "]");
    }
    if (threads != null) {
      overrides.add("threads=" + threads);
    }
    if (precision.raw() != null) {
      precision.requested(); // a bad value is a usage error
      overrides.add("precision=" + precision.raw().trim());
    }
    TrainConfig config = TrainConfig.load(configOptions.config(), overrides);
    Path root = Path.of(config.data().trainRoot());
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(
          configOptions.config()
              + ": data.train_root "
              + root
              + (Files.exists(root) ? " is not a folder" : " does not exist")
              + "; fix the key (relative paths start at the config's folder) or create the data"
              + " (rge data synth)");
    }
    Trainer trainer =
        new Trainer(
            config,
            fresh,
            TerminalProgress.orNone(progress.shown() && config.logging().progressBar()));
    if (dryRun) {
      MemoryPlan plan = trainer.memoryPlan();
      spec.commandLine().getOut().println(plan.describe());
      trainer.checkMemory(plan);
      spec.commandLine().getOut().println("fits on the device: yes");
      return 0;
    }
    TrainResult result = stopAfter == null ? trainer.run() : trainer.run(stopAfter);
    spec.commandLine().getOut().println(result.summary().toJson());
    return 0;
  }

  public static void main(String[] args) {
    System.exit(Cli.run(new Train(), args));
  }
}

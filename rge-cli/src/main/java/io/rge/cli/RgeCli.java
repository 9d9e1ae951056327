package io.rge.cli;

import io.rge.cli.adapters.AdaptersCommand;
import io.rge.cli.data.DataCommand;
import io.rge.cli.eval.EmbedCommand;
import io.rge.cli.eval.Evaluate;
import io.rge.cli.eval.SparkEmbedCommand;
import io.rge.cli.eval.SparkEvaluate;
import io.rge.cli.parity.ParityCommand;
import io.rge.cli.quickstart.QuickstartCommand;
import io.rge.cli.rationales.RationalesCommand;
import io.rge.cli.serve.ServeCommand;
import io.rge.cli.train.Train;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code rge} command that {@code scripts/rge} runs. A new command is one more entry in {@code
 * subcommands}: a picocli command class with a one-line {@code description}.
 */
@Command(
    name = "rge",
    mixinStandardHelpOptions = true,
    description = "Reasoning-guided multimodal embeddings (Qwen2.5-VL on DJL).",
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge quickstart",
      "  scripts/rge train --config configs/train-tiny-synth.yaml",
      "  scripts/rge eval --config configs/eval-synth.yaml"
    },
    subcommands = {
      VersionCommand.class,
      ParityCommand.class,
      HelpCommand.class,
      DataCommand.class,
      Train.class,
      Evaluate.class,
      EmbedCommand.class,
      SparkEmbedCommand.class,
      SparkEvaluate.class,
      RationalesCommand.class,
      QuickstartCommand.class,
      AdaptersCommand.class,
      ServeCommand.class,
    })
public final class RgeCli implements Callable<Integer> {
  private static final int EXIT_USAGE = 2;

  @Spec private CommandSpec spec;

  /** Without a command, print the usage to stderr and fail as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  public static void main(String[] args) {
    System.exit(Cli.run(new RgeCli(), args));
  }
}

package io.rge.eval.cli;

import io.rge.core.cli.Cli;
import io.rge.core.cli.VersionCommand;
import io.rge.data.cli.DataCommand;
import io.rge.eval.Evaluate;
import io.rge.eval.quickstart.QuickstartCommand;
import io.rge.training.Train;
import io.rge.training.parity.ParityCommand;
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
    subcommands = {
      VersionCommand.class,
      ParityCommand.class,
      HelpCommand.class,
      DataCommand.class,
      Train.class,
      Evaluate.class,
      EmbedCommand.class,
      QuickstartCommand.class,
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

package io.rge.cli.data;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rge data}: the data subcommands. Without a subcommand it is a usage error. */
@Command(
    name = "data",
    description = "Inspect MMEB / RGE-Synth data, or generate RGE-Synth.",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge data synth --out data/rge-synth --size small",
      "  scripts/rge data inspect data/rge-synth"
    },
    subcommands = {InspectCommand.class, SynthCommand.class})
public final class DataCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: expected 'inspect' or 'synth'");
  }
}

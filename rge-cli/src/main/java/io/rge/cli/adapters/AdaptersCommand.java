package io.rge.cli.adapters;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rge adapters}: the adapter subcommands. Without a subcommand it is a usage error. */
@Command(
    name = "adapters",
    description = "Work with LoRA / DoRA adapters (PEFT's format).",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge adapters merge --model models/Qwen2.5-VL-3B-Instruct \\",
      "      --adapter runs/qwen25vl-3b-rge-mmeb-dora/checkpoints/step-00001000 \\",
      "      --out models/RGE-3B-merged"
    },
    subcommands = {MergeCommand.class})
public final class AdaptersCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: expected 'merge'");
  }
}

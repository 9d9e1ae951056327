package io.rge.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * Whether the user typed an option on the command line. A mixin's option carries its one default,
 * but a command with a config file lets the config's key win over that default: such a command asks
 * this before choosing between the option's value and the config's.
 */
final class OptionGiven {
  private OptionGiven() {}

  /** True when {@code name} was matched on {@code command}'s command line. */
  static boolean on(CommandSpec command, String name) {
    ParseResult parsed =
        command.commandLine() == null ? null : command.commandLine().getParseResult();
    return parsed != null && parsed.hasMatchedOption(name);
  }
}

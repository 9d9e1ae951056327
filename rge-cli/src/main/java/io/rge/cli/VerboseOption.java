package io.rge.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code --verbose} flag {@link Cli} adds to every command; read back from the parse result.
 */
final class VerboseOption {
  @Option(
      names = Cli.VERBOSE,
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of a failure and RGE's debug log.")
  boolean verbose;
}

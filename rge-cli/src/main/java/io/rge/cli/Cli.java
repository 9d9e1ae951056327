package io.rge.cli;

import io.rge.core.ProjectVersion;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command-line conventions every RGE main class follows, in one place.
 *
 * <p>A main class does {@code System.exit(Cli.run(new MyCommand(), args))}. The command is a
 * picocli command (annotate it with {@code mixinStandardHelpOptions = true} for {@code --help} and
 * {@code --version}); {@code run} adds {@code --verbose} to it and all its subcommands, supplies
 * the project version to {@code --version}, and maps the outcome to an exit code:
 *
 * <ul>
 *   <li>0: success (or the code the command returned);
 *   <li>2: a usage error: the message and a one-line hint such as {@code Try 'rge train --help'.};
 *   <li>1: a failure: {@code error: <message>: <cause>: ...} without a stack trace, or the full
 *       stack trace with {@code --verbose}.
 * </ul>
 *
 * <p>{@code --verbose} also raises the {@code io.rge} log level to DEBUG while the command runs,
 * when Logback is the SLF4J backend.
 */
public final class Cli {
  static final String VERBOSE = "--verbose";
  private static final int EXIT_FAILURE = 1;
  private static final int EXIT_USAGE = 2;

  private Cli() {}

  /**
   * Runs a picocli command (an annotated object, or a prepared {@link CommandLine}) on the process
   * streams; returns the exit code and never exits the JVM.
   */
  public static int run(Object command, String... args) {
    return run(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * As {@link #run(Object, String...)}, printing results to {@code out} and errors to {@code err}.
   */
  public static int run(Object command, PrintWriter out, PrintWriter err, String... args) {
    try {
      CommandLine commandLine;
      try {
        commandLine = commandLine(command);
      } catch (RuntimeException e) {
        // A broken command definition (picocli InitializationException): nothing was parsed yet.
        reportFailure(e, err, Arrays.asList(args).contains(VERBOSE));
        return EXIT_FAILURE;
      }
      commandLine.setOut(out);
      commandLine.setErr(err);
      commandLine.setParameterExceptionHandler(Cli::reportUsageError);
      commandLine.setExecutionExceptionHandler(
          (e, failed, parseResult) -> {
            reportFailure(e, failed.getErr(), isVerbose(parseResult));
            return EXIT_FAILURE;
          });
      commandLine.setExecutionStrategy(
          parseResult -> {
            if (!isVerbose(parseResult)) {
              return new CommandLine.RunLast().execute(parseResult);
            }
            try (VerboseLogging.Restore restore = VerboseLogging.raise()) {
              return new CommandLine.RunLast().execute(parseResult);
            }
          });
      try {
        return commandLine.execute(args);
      } catch (Error e) {
        // picocli passes Errors through; UnsatisfiedLinkError from a native library is typical.
        reportFailure(e, err, isVerbose(commandLine.getParseResult()));
        return EXIT_FAILURE;
      }
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The command (an annotated object, or a prepared {@link CommandLine}) with these conventions
   * applied, as {@link #run} parses it: {@code --verbose}, the project version, enum values in any
   * case.
   */
  public static CommandLine commandLine(Object command) {
    CommandLine commandLine = command instanceof CommandLine c ? c : new CommandLine(command);
    applyConventions(commandLine);
    return commandLine;
  }

  private static void applyConventions(CommandLine commandLine) {
    if (!commandLine.getCommandSpec().optionsMap().containsKey(VERBOSE)) {
      // Inherited: picocli copies the option into every subcommand, present and nested.
      commandLine.addMixin("verbose", new VerboseOption());
    }
    setVersionWhereMissing(commandLine);
    // Options print their enum values in lower case (--missing-images fail|skip_row): accept them
    // in any case, as the YAML configs do.
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
  }

  private static void setVersionWhereMissing(CommandLine commandLine) {
    CommandLine.Model.CommandSpec spec = commandLine.getCommandSpec();
    if (spec.version().length == 0) {
      spec.versionProvider(() -> new String[] {"rge " + ProjectVersion.get()});
    }
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      setVersionWhereMissing(sub);
    }
  }

  private static boolean isVerbose(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  private static int reportUsageError(ParameterException e, String[] args) {
    CommandLine failed = e.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println("error: " + usageMessage(e));
    List<String> suggestions = suggestions(e);
    if (!suggestions.isEmpty()) {
      err.println("Did you mean: " + String.join(" or ", suggestions) + "?");
    }
    err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
    return EXIT_USAGE;
  }

  /**
   * The commands or options near an unmatched argument. A misspelt option ({@code --confg}) is left
   * unmatched, but picocli reports the required option it stood for ({@code --config}) as missing
   * first: the unmatched arguments are looked at then too.
   */
  private static List<String> suggestions(ParameterException e) {
    CommandLine failed = e.getCommandLine();
    if (e instanceof UnmatchedArgumentException u) {
      return u.getSuggestions();
    }
    if (failed.getUnmatchedArguments().isEmpty()) {
      return List.of();
    }
    return new UnmatchedArgumentException(failed, failed.getUnmatchedArguments()).getSuggestions();
  }

  private static String usageMessage(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u
        && !u.getCommandLine().getSubcommands().isEmpty()
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) {
      return "unknown command '" + u.getUnmatched().get(0) + "'";
    }
    return e.getMessage();
  }

  private static void reportFailure(Throwable e, PrintWriter err, boolean verbose) {
    Throwable failure =
        e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (verbose) {
      failure.printStackTrace(err);
    } else {
      err.println("error: " + ErrorMessage.of(failure));
    }
  }
}

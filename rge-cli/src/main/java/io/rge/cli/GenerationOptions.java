package io.rge.cli;

import io.rge.eval.EvalSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --max-new-tokens N} and {@code --batch-size N}, mixed into the commands that generate
 * rationales. The defaults are the evaluation's ({@link EvalSettings}); a command with a config
 * file takes the config's keys unless the option is typed.
 */
public final class GenerationOptions {
  static final String MAX_NEW_TOKENS = "--max-new-tokens";
  static final String BATCH_SIZE = "--batch-size";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = MAX_NEW_TOKENS,
      paramLabel = "N",
      defaultValue = "" + EvalSettings.DEFAULT_MAX_NEW_TOKENS,
      description =
          "Rationale token limit: generation stops there and <emb> follows; overrides a config's"
              + " max_new_tokens (default: ${DEFAULT-VALUE}, or the config's).")
  private int maxNewTokens;

  @Option(
      names = BATCH_SIZE,
      paramLabel = "N",
      defaultValue = "" + EvalSettings.DEFAULT_QUERY_BATCH,
      description =
          "Queries (rows) generated or embedded together; eval also embeds its candidates this many"
              + " at a time when given (else 32); overrides a config's batch keys (default:"
              + " ${DEFAULT-VALUE}, or the config's).")
  private int batchSize;

  /** The token limit; a negative one is a usage error. */
  public int maxNewTokens() {
    if (maxNewTokens < 0) {
      throw new ParameterException(
          command.commandLine(), MAX_NEW_TOKENS + " must be >= 0, got " + maxNewTokens);
    }
    return maxNewTokens;
  }

  /** The batch size; one below 1 is a usage error. */
  public int batchSize() {
    if (batchSize < 1) {
      throw new ParameterException(
          command.commandLine(), BATCH_SIZE + " must be >= 1, got " + batchSize);
    }
    return batchSize;
  }

  /** The token limit typed on the command line, or null: a config's key then applies. */
  public Integer maxNewTokensGivenOrNull() {
    return OptionGiven.on(command, MAX_NEW_TOKENS) ? maxNewTokens() : null;
  }

  /** The batch size typed on the command line, or null: a config's key then applies. */
  public Integer batchSizeGivenOrNull() {
    return OptionGiven.on(command, BATCH_SIZE) ? batchSize() : null;
  }
}

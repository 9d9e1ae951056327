package io.rge.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --reasoning on|off}, mixed into the commands that embed queries. */
public final class ReasoningOption {
  static final String NAME = "--reasoning";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = NAME,
      arity = "1",
      paramLabel = "on|off",
      converter = OnOffConverter.class,
      defaultValue = "on",
      description =
          "on: generate a rationale first and embed at its <emb> (queries); off: embed the input"
              + " as prompt + <emb> (candidates); overrides a config's reasoning (default:"
              + " ${DEFAULT-VALUE}, or the config's).")
  private boolean on;

  public boolean on() {
    return on;
  }

  /** The choice typed on the command line, or null: a config's key then applies. */
  public Boolean givenOrNull() {
    return OptionGiven.on(command, NAME) ? on : null;
  }
}

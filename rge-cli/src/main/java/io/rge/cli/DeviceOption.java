package io.rge.cli;

import io.rge.core.DeviceChoice;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --device cpu|gpu|auto}, mixed into every command that runs a model. */
public final class DeviceOption {
  static final String NAME = "--device";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = NAME,
      paramLabel = "cpu|gpu|auto",
      defaultValue = "auto",
      converter = DeviceConverter.class,
      description =
          "Where the model runs: cpu, gpu, or auto (a GPU when one is visible); overrides a"
              + " config's device (default: ${DEFAULT-VALUE}, or the config's).")
  private DeviceChoice value;

  /** The device asked for, or the default. */
  public DeviceChoice value() {
    return value;
  }

  /** The device typed on the command line, or null: a config's device key then applies. */
  public DeviceChoice givenOrNull() {
    return OptionGiven.on(command, NAME) ? value : null;
  }
}

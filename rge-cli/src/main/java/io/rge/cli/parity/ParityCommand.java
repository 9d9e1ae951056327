package io.rge.cli.parity;

import io.rge.cli.DeviceConverter;
import io.rge.core.DeviceChoice;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.training.parity.ParityRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rge parity}: a {@link ParityRun} of a model folder against a transformers reference
 * fixture. Exit code 0 only when every row passes.
 */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    description = "Compare a model folder with a transformers reference fixture, tensor by tensor.")
public final class ParityCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "A Qwen2.5-VL model folder (config.json, weights, tokenizer.json).")
  private Path model;

  @Option(
      names = "--expected",
      required = true,
      paramLabel = "FILE",
      description =
          "The fixture's expected.safetensors or expected.json (the other is found beside it).")
  private Path expected;

  @Option(
      names = "--positions",
      paramLabel = "grid|sequential",
      defaultValue = "grid",
      converter = PositionsConverter.class,
      description =
          "Image token positions: grid (3-D M-RoPE, default) or sequential (references computed"
              + " without mm_token_type_ids).")
  private ImagePositions positions;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu|auto",
      defaultValue = "auto",
      converter = DeviceConverter.class,
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  private DeviceChoice device;

  @picocli.CommandLine.Mixin private io.rge.cli.PrecisionOption precision;

  @Override
  public Integer call() throws Exception {
    return ParityRun.run(
            model, expected, positions, device, precision.requested(), spec.commandLine().getOut())
        ? 0
        : 1;
  }
}

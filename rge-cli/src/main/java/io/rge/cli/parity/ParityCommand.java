package io.rge.cli.parity;

import io.rge.cli.DeviceOption;
import io.rge.cli.ModelOption;
import io.rge.cli.PrecisionOption;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.training.parity.ParityRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    description = "Compare a model folder with a transformers reference fixture, tensor by tensor.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge parity \\",
      "      --model rge-test-fixtures/src/main/resources/fixtures/qwen25vl-tiny \\",
      "      --expected \\",
      "      rge-test-fixtures/src/main/resources/fixtures/qwen25vl-tiny/expected.safetensors"
    })
public final class ParityCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ModelOption model;

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
          "Image token positions: grid (3-D M-RoPE) or sequential (references computed without"
              + " mm_token_type_ids) (default: ${DEFAULT-VALUE}).")
  private ImagePositions positions;

  @Mixin private DeviceOption device;

  @Mixin private PrecisionOption precision;

  @Override
  public Integer call() throws Exception {
    return ParityRun.run(
            model.folder(),
            expected,
            positions,
            device.value(),
            precision.requested(),
            spec.commandLine().getOut())
        ? 0
        : 1;
  }
}

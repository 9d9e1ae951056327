package io.rge.cli.adapters;

import io.rge.cli.DeviceOption;
import io.rge.cli.ModelOption;
import io.rge.core.CheckpointFolderWriter;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rge adapters merge}: a base model plus a PEFT adapter folder written as one plain
 * checkpoint (the logic: {@link RgeModel#load(LoadOptions)} with {@code optAdapters} and {@link
 * CheckpointFolderWriter#optMergeAdapters()}).
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description =
        "Merge LoRA / DoRA adapters into their base model (--model) and write a Hugging Face"
            + " checkpoint.",
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge adapters merge --model models/Qwen2.5-VL-3B-Instruct \\",
      "      --adapter runs/qwen25vl-3b-rge-mmeb-dora/checkpoints/step-00001000 \\",
      "      --out models/RGE-3B-merged"
    })
public final class MergeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ModelOption model;

  @Option(
      names = "--adapter",
      paramLabel = "DIR",
      required = true,
      description =
          "A folder with adapter_config.json and adapter_model.safetensors (e.g. a checkpoint).")
  private Path adapter;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "The merged checkpoint's folder (new, or empty).")
  private Path out;

  @Mixin private DeviceOption device;

  @Override
  public Integer call() throws Exception {
    try (RgeModel m =
        RgeModel.load(
            LoadOptions.builder()
                .setModel(model.folder())
                .optAdapters(adapter)
                .optDevice(device.value())
                .build())) {
      CheckpointFolderWriter.of(m).optMergeAdapters().write(out);
    }
    spec.commandLine().getOut().println("merged checkpoint written to " + out);
    return 0;
  }
}

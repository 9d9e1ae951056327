package io.rge.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.CheckpointFolderWriter;
import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.adapters.Adapters;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.safetensors.SafetensorsWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes what the GPU machine's PEFT check reads ({@code scripts/gpu/peft_check.py}, issue #12
 * point 6): a base model folder (the tiny fixture as RGE loads it, {@code <emb>} included), a DoRA
 * adapter on it with every tensor moved off its initial value, and the Java logits of one text
 * sequence ending in {@code <emb>}.
 *
 * <p>Run: {@code java -cp ... io.rge.benchmarks.AdapterExportCheck FIXTURE_DIR OUT_DIR [lora|dora]}
 * → {@code OUT/base/}, {@code OUT/adapter/}, {@code OUT/java_logits.safetensors} ({@code input_ids
 * [1, L]}, {@code logits [L, vocab]}).
 */
public final class AdapterExportCheck {
  private AdapterExportCheck() {}

  public static void main(String[] args) throws Exception {
    Path fixture = Path.of(args[0]);
    Path out = Path.of(args[1]);
    AdapterSettings.Type type =
        args.length > 2
            ? AdapterSettings.Type.valueOf(args[2].toUpperCase())
            : AdapterSettings.Type.DORA;
    try (RgeModel model = RgeModel.load(fixture, DeviceChoice.CPU)) {
      CheckpointFolderWriter.of(model)
          .write(out.resolve("base")); // before the adapters: a plain base
      Adapters adapters =
          model.attachAdapters(
              new AdapterSettings(type, 4, 8, 0, AdapterSettings.RGE_TARGETS, false), 5);
      Random random = new Random(13);
      for (ModelWeight w : adapters.weights()) {
        float[] v = w.value().toFloatArray();
        for (int i = 0; i < v.length; i++) {
          v[i] += (float) (0.05 * random.nextGaussian());
        }
        w.value().set(v);
      }
      adapters.save(out.resolve("adapter"));
      int[] ids = model.prompts().candidate("a red square left of a blue circle", null).ids();
      try (NDManager scope = model.manager().newSubManager()) {
        NDArray logits =
            model
                .network()
                .forward(scope, ModelInput.single(ids, List.of()), OutputRequest.everything())
                .logits(); // [1, L, vocab]
        long[] longIds = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
          longIds[i] = ids[i];
        }
        new SafetensorsWriter()
            .addLongs("input_ids", new long[] {1, ids.length}, longIds)
            .addFloats("logits", logits.getShape().getShape(), logits.toFloatArray())
            .write(out.resolve("java_logits.safetensors"));
      }
    }
    System.out.println("wrote " + out + " (" + type.id() + ")");
  }
}

package io.rge.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.preset.TinyOptions;
import io.rge.core.preset.TinyPreset;
import io.rge.core.qwen25vl.ModelWeight;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainablePartsTest {
  @Test
  void partsSelectTheDocumentedWeightsOfARealModel() throws Exception {
    TinyOptions small =
        TinyOptions.defaults().toBuilder().text(32, 64, 1, 2, 1, List.of(2, 3, 3)).build();
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setPreset(TinyPreset.create(List.of("a red square"), small), 1)
                .optDevice(DeviceChoice.CPU)
                .build())) {
      List<ModelWeight> all = model.network().weights().all();
      for (ModelWeight w : all) {
        String n = w.name();
        boolean merger = n.startsWith("visual.merger.");
        boolean tower = n.startsWith("visual.") && !merger;
        assertTrue(TrainableParts.ALL.test(w), n);
        assertEquals(!tower && !merger, TrainableParts.DECODER_ONLY.test(w), n);
        assertEquals(!tower, TrainableParts.FREEZE_VISION.test(w), n);
      }
      assertTrue(all.stream().anyMatch(w -> w.name().startsWith("visual.merger.")));
      model.network().weights().setTrainable(TrainableParts.FREEZE_VISION);
      List<ModelWeight> trainable = model.network().weights().trainable();
      assertTrue(trainable.stream().anyMatch(w -> w.name().equals("visual.merger.mlp.0.weight")));
      assertFalse(trainable.stream().anyMatch(w -> w.name().startsWith("visual.blocks.")));
      assertTrue(trainable.stream().anyMatch(w -> w.name().equals("model.embed_tokens.weight")));
    }
  }
}

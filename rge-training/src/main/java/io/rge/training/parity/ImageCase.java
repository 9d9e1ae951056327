package io.rge.training.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Upcast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An {@code img*} case: one prompt with its image(s). One forward pass yields the vision tower's
 * intermediate tensors, the inputs embeddings, decoder layer 0's output, the final hidden states
 * and the logits; greedy RGE generation yields the sequence and the embedding at its {@code <emb>}.
 */
final class ImageCase {
  private static final Map<String, Function<ModelOutput, NDArray>> FORWARD_TENSORS =
      new LinkedHashMap<>();

  static {
    FORWARD_TENSORS.put("vision_patch_embed", o -> vision(o).patchEmbeddings());
    FORWARD_TENSORS.put("vision_merger_out_window_order", o -> vision(o).mergerWindowOrder());
    FORWARD_TENSORS.put("image_embeds", o -> vision(o).tokens());
    FORWARD_TENSORS.put("inputs_embeds", o -> o.hiddenStates().get(0));
    FORWARD_TENSORS.put("hidden_layer1", o -> o.hiddenStates().get(1));
    FORWARD_TENSORS.put("last_hidden_state", ModelOutput::lastHidden);
    FORWARD_TENSORS.put("logits", ModelOutput::logits);
  }

  private ImageCase() {}

  static CaseResult run(ParitySession s, String kase) {
    ParityFixture f = s.fixture();
    int[][] ids = f.intRows(kase + ".input_ids");
    int[][] mask = s.mask(kase + ".attention_mask", ids);
    List<ProcessedImage> images = s.images(kase, ids, mask);
    List<ParityRow> rows = new ArrayList<>();
    try (NDManager scope = s.model().manager().newSubManager()) {
      ModelOutput out =
          s.model()
              .network()
              .forward(scope, new ModelInput(ids, mask, images), OutputRequest.everything());
      for (Map.Entry<String, Function<ModelOutput, NDArray>> e : FORWARD_TENSORS.entrySet()) {
        String name = kase + "." + e.getKey();
        if (f.has(name)) {
          rows.add(compare(name, f.floats(name), () -> e.getValue().apply(out), s.hidden()));
        }
      }
    }
    rows.addAll(s.positionRows(kase + ".", ids, mask, images));
    rows.addAll(generation(s, kase, ids, mask, images));
    return new CaseResult(kase, !images.isEmpty(), rows);
  }

  /**
   * Greedy RGE generation from the prompt with as many new tokens as the reference wrote before its
   * final {@code <emb>}: in fp32 the sequence must match exactly and the embedding within the
   * hidden state tolerance; in a half type see {@link HalfGenerationCheck}.
   */
  private static List<ParityRow> generation(
      ParitySession s, String kase, int[][] ids, int[][] mask, List<ProcessedImage> images) {
    ParityFixture f = s.fixture();
    String sequenceName = kase + ".rge_sequence";
    String embeddingName = kase + ".rge_embedding";
    int[] expected = null;
    if (f.has(sequenceName)) {
      int[] all = f.intRows(sequenceName)[0];
      expected = Arrays.copyOfRange(all, Math.min(all.length, ids[0].length), all.length);
    } else if (f.json("cases", kase, "generated_ids").isArray()) {
      var node = f.json("cases", kase, "generated_ids");
      expected = new int[node.size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = node.get(i).asInt();
      }
    }
    if (expected == null && !f.has(embeddingName)) {
      return List.of();
    }
    String rowName = f.has(sequenceName) ? sequenceName : kase + ".generated_ids";
    if (expected == null || expected.length == 0) {
      return List.of(
          ParityRow.failed(
              embeddingName,
              s.hidden(),
              "no rge_sequence or generated_ids tells how many tokens to generate"));
    }
    if (ids.length != 1) {
      return List.of(
          ParityRow.failed(rowName, Tolerance.exact(), "generation needs one prompt per case"));
    }
    int[] prompt = unpadded(ids[0], mask[0]);
    GeneratedQuery q =
        s.model()
            .generate(
                List.of(new GenerationRequest(prompt, images)),
                GenerationSettings.greedy(expected.length - 1, 1))
            .get(0);
    if (s.half()) {
      return HalfGenerationCheck.rows(
          s, rowName, f.has(embeddingName) ? embeddingName : null, prompt, expected, images, q);
    }
    List<ParityRow> rows = new ArrayList<>();
    rows.add(ParityRow.compareTokens(rowName, expected, q.tokens()));
    if (f.has(embeddingName)) {
      rows.add(
          ParityRow.compare(embeddingName, f.floats(embeddingName), q.embedding(), s.hidden()));
    }
    return rows;
  }

  private static int[] unpadded(int[] ids, int[] mask) {
    int n = 0;
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      if (mask[i] != 0) {
        out[n++] = ids[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static ParityRow compare(
      String name,
      float[] expected,
      java.util.function.Supplier<NDArray> actual,
      Tolerance tolerance) {
    NDArray value;
    try {
      value = actual.get();
    } catch (MissingOutput e) {
      return ParityRow.failed(name, tolerance, e.getMessage());
    }
    return ParityRow.compare(name, expected, Upcast.hostFloats(value), tolerance);
  }

  private static io.rge.core.qwen25vl.VisionTower.VisionOutput vision(ModelOutput out) {
    if (out.vision() == null) {
      throw new MissingOutput("the model ran no vision tower (the case has no image)");
    }
    return out.vision();
  }

  /** A tensor the reference has but this run did not produce. */
  private static final class MissingOutput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingOutput(String message) {
      super(message);
    }
  }
}

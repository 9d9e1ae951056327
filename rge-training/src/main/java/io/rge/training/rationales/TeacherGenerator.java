package io.rge.training.rationales;

import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.RationaleGenerator;
import io.rge.core.image.QwenImageProcessor;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The teacher model, as curation uses it: load it, continue prompts greedily until its stop token,
 * decode. The one place that touches the model's generation API (batched, KV-cached {@link
 * RationaleGenerator}), so a change of that API is a change here only.
 *
 * <p>The generator ends a row at one token id, the one RGE models use for {@code <emb>}; here it is
 * given the teacher's stop token instead ({@code <|im_end|>} for an Instruct model), so a row stops
 * when the teacher ends its turn rather than running on to the limit.
 */
public final class TeacherGenerator implements AutoCloseable {
  private final RgeModel model;
  private final boolean owned;
  private final int stopId;

  private TeacherGenerator(RgeModel model, boolean owned, String stopToken) {
    QwenTokenizer tokenizer = model.tokenizer();
    if (!tokenizer.contains(stopToken)) {
      throw new IllegalArgumentException(
          "stop_token '" + stopToken + "' is not a token of the teacher's tokenizer");
    }
    this.model = model;
    this.owned = owned;
    this.stopId = tokenizer.id(stopToken);
  }

  /**
   * Loads a Qwen2.5-VL-family folder (Hugging Face or RGE checkpoint) as the teacher.
   *
   * @param precision the compute precision, or null for the device's default (see {@link
   *     io.rge.core.precision.PrecisionChoice})
   */
  public static TeacherGenerator load(
      Path dir, DeviceChoice device, ComputePrecision precision, String stopToken)
      throws IOException {
    RgeModel model =
        RgeModel.load(
            LoadOptions.builder().setModel(dir).optDevice(device).optPrecision(precision).build());
    try {
      return new TeacherGenerator(model, true, stopToken);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** A teacher over a loaded model; the caller keeps ownership of {@code model}. */
  public static TeacherGenerator of(RgeModel model, String stopToken) {
    return new TeacherGenerator(model, false, stopToken);
  }

  public QwenChatPrompts prompts() {
    return model.prompts();
  }

  public QwenImageProcessor imageProcessor() {
    return model.imageProcessor();
  }

  public QwenTokenizer tokenizer() {
    return model.tokenizer();
  }

  /** Greedy answers to {@code requests}, in their order, {@code batchSize} generated together. */
  public List<TeacherOutput> generate(
      List<GenerationRequest> requests, int maxNewTokens, int batchSize) {
    List<GeneratedQuery> generated =
        new RationaleGenerator(model.network(), stopId, model.tokenizer().padId())
            .generate(
                model.manager(), requests, GenerationSettings.greedy(maxNewTokens, batchSize));
    List<TeacherOutput> out = new ArrayList<>(generated.size());
    for (GeneratedQuery g : generated) {
      int[] written = g.rationaleTokens();
      out.add(
          new TeacherOutput(
              text(written),
              g.embAppended() ? written.length : written.length + 1,
              g.embAppended()));
    }
    return out;
  }

  /** Number of tokens of {@code text} in the teacher's vocabulary. */
  public int tokenCount(String text) {
    return model.tokenizer().encode(text).length;
  }

  /**
   * The text of generated ids, special tokens left out; ids past the tokenizer (rows Qwen pads its
   * embedding with) have no text.
   */
  private String text(int[] ids) {
    int size = model.tokenizer().size();
    return model.tokenizer().decode(Arrays.stream(ids).filter(id -> id < size).toArray(), true);
  }

  @Override
  public void close() {
    if (owned) {
      model.close();
    }
  }
}

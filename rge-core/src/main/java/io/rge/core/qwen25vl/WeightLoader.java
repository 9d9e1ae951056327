package io.rge.core.qwen25vl;

import io.rge.core.safetensors.CheckpointFiles;
import io.rge.core.safetensors.Precision;
import io.rge.core.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the weights of a Qwen2.5-VL checkpoint folder ({@code model.safetensors} or shards with
 * {@code model.safetensors.index.json}) as {@link CheckpointWeights} under canonical names, whose
 * F32 / F16 / BF16 values are read one tensor at a time.
 *
 * <p>Both naming layouts are accepted ({@code model.layers.N.*}, {@code visual.*} and transformers
 * 5's {@code model.language_model.*}, {@code model.visual.*}). Strict by default: one error lists
 * every missing and every unexpected tensor; shapes are always checked against {@link
 * CheckpointLayout}. With tied embeddings no {@code lm_head.weight} is expected; one that is
 * present anyway (transformers sometimes saves it) is accepted only if it equals {@code
 * model.embed_tokens.weight}.
 */
public final class WeightLoader {
  private static final Logger LOG = LoggerFactory.getLogger(WeightLoader.class);

  /** How missing and unexpected tensors are treated. */
  public enum Strictness {
    /** Any missing or unexpected tensor is an error (the default). */
    STRICT,
    /** Missing and unexpected tensors are logged; missing ones are absent from the result. */
    LENIENT
  }

  private WeightLoader() {}

  /**
   * Opens and validates a checkpoint (names, shapes, tied head) without reading the weights, which
   * are then read one at a time: the way to build a large model without holding two copies of it.
   */
  public static CheckpointWeights open(Path modelDir, Qwen25VLConfig config, Strictness strictness)
      throws IOException {
    String source = modelDir.toString();
    CheckpointFiles files = CheckpointFiles.open(modelDir);
    try {
      Map<String, String> stored = new TreeMap<>(); // canonical -> name in the checkpoint
      for (String name : files.names()) {
        String previous = stored.put(CheckpointLayout.canonicalName(name), name);
        if (previous != null) {
          throw new CheckpointException(
              source
                  + ": tensors '"
                  + previous
                  + "' and '"
                  + name
                  + "' are the same parameter "
                  + CheckpointLayout.canonicalName(name));
        }
      }
      WeightCheck.layerCounts(modelDir.resolve(Qwen25VLConfig.FILE_NAME), config, stored.keySet());
      Map<String, long[]> expected = CheckpointLayout.expectedShapes(config);
      String tiedHead = config.tieWordEmbeddings() ? stored.remove(CheckpointLayout.LM_HEAD) : null;
      WeightCheck.names(source, expected.keySet(), stored.keySet(), strictness);
      stored.keySet().retainAll(expected.keySet());

      Map<String, long[]> found = new TreeMap<>();
      for (Map.Entry<String, String> e : stored.entrySet()) {
        found.put(e.getKey(), checkedInfo(files, source, e.getValue()).shape());
      }
      if (tiedHead != null) {
        found.put(CheckpointLayout.LM_HEAD, checkedInfo(files, source, tiedHead).shape());
      }
      Map<String, long[]> expectedWithHead = new HashMap<>(expected);
      expectedWithHead.putIfAbsent(
          CheckpointLayout.LM_HEAD, expected.get(CheckpointLayout.EMBED_TOKENS));
      WeightCheck.shapes(source, expectedWithHead, found);
      if (tiedHead != null) {
        checkTiedHead(files, source, stored.get(CheckpointLayout.EMBED_TOKENS), tiedHead);
        found.remove(CheckpointLayout.LM_HEAD);
      }
      return new CheckpointWeights(files, stored, found);
    } catch (IOException | RuntimeException e) {
      files.close();
      throw e;
    }
  }

  private static TensorInfo checkedInfo(CheckpointFiles files, String source, String name) {
    TensorInfo info = files.info(name);
    if (!info.dtype().isFloatingPoint()) {
      throw new CheckpointException(
          source
              + ": tensor '"
              + name
              + "' is "
              + info.dtype()
              + "; weights must be F32, F16,"
              + " BF16 or F64");
    }
    return info;
  }

  /** Compares in fp32 so that values differing below fp16 resolution still count as different. */
  private static void checkTiedHead(
      CheckpointFiles files, String source, String embedName, String headName) throws IOException {
    if (embedName == null) {
      return; // already reported as missing (lenient mode)
    }
    ByteBuffer embed = files.fileOf(embedName).read(embedName, Precision.FP32);
    ByteBuffer head = files.fileOf(headName).read(headName, Precision.FP32);
    if (!embed.equals(head)) {
      throw new CheckpointException(
          source
              + ": tie_word_embeddings is true but '"
              + headName
              + "' differs from '"
              + embedName
              + "'; fix config.json (tie_word_embeddings: false) or the checkpoint");
    }
    LOG.debug("{}: '{}' equals the tied embeddings; ignored", source, headName);
  }
}

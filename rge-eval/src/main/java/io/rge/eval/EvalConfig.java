package io.rge.eval;

import io.rge.core.DeviceChoice;
import io.rge.data.images.MissingImagePolicy;
import java.util.List;

/**
 * The YAML form of {@code rge eval --config FILE} (see {@code configs/eval-mmeb.yaml}). Every key
 * is optional; a command-line option overrides the key of the same meaning. Paths resolve against
 * the file's folder.
 *
 * @param model model folder
 * @param data data folder (MMEB-eval, an RGE-Synth folder or one of its eval splits)
 * @param images image zip or folder
 * @param datasets datasets to evaluate (default: all present)
 * @param reasoning reason before embedding queries (default true)
 * @param maxNewTokens rationale token limit (default 128)
 * @param queryBatchSize queries per generation batch (default 16)
 * @param candidateBatchSize candidates per forward pass (default 32)
 * @param prompts "mmeb" or a prompt file
 * @param out output folder
 * @param cacheDir embedding cache folder (default out/cache)
 * @param device cpu, gpu or auto
 * @param missingImages fail or skip_row (default skip_row)
 * @param references reference rows file for the report
 * @param label the model's name in the report
 * @param maxImagePixels largest width x height of an image (default 89,478,485, as PIL)
 */
public record EvalConfig(
    String model,
    String data,
    String images,
    List<String> datasets,
    Boolean reasoning,
    Integer maxNewTokens,
    Integer queryBatchSize,
    Integer candidateBatchSize,
    String prompts,
    String out,
    String cacheDir,
    DeviceChoice device,
    MissingImagePolicy missingImages,
    String references,
    String label,
    Long maxImagePixels) {
  public static EvalConfig empty() {
    return new EvalConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }
}

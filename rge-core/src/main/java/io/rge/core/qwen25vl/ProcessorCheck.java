package io.rge.core.qwen25vl;

import io.rge.core.image.ImageProcessorConfig;
import java.nio.file.Path;

/**
 * Checks that a model folder's image processor cuts images the way its vision tower reads them: a
 * {@code preprocessor_config.json} whose patch, merge or temporal patch size differs from {@code
 * config.json}'s would fail deep inside the first forward pass ("mat1 and mat2 shapes cannot be
 * multiplied"), so it is refused at load, naming both files and fields.
 */
public final class ProcessorCheck {
  private ProcessorCheck() {}

  /**
   * @throws CheckpointException at the first size the two files disagree on
   */
  public static void matches(Path modelDir, VisionConfig vision, ImageProcessorConfig processor) {
    same(modelDir, "patch_size", processor.patchSize(), "patch_size", vision.patchSize());
    same(
        modelDir,
        "merge_size",
        processor.mergeSize(),
        "spatial_merge_size",
        vision.spatialMergeSize());
    same(
        modelDir,
        "temporal_patch_size",
        processor.temporalPatchSize(),
        "temporal_patch_size",
        vision.temporalPatchSize());
  }

  private static void same(
      Path modelDir, String processorField, int processorValue, String modelField, int modelValue) {
    if (processorValue != modelValue) {
      throw new CheckpointException(
          modelDir.resolve(ImageProcessorConfig.FILE_NAME)
              + ": "
              + processorField
              + " is "
              + processorValue
              + " but "
              + modelDir.resolve(Qwen25VLConfig.FILE_NAME)
              + " has vision_config."
              + modelField
              + " "
              + modelValue
              + "; the vision tower only reads its own patch layout: fix "
              + ImageProcessorConfig.FILE_NAME);
    }
  }
}

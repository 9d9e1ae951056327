package io.rge.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.RgeDataException;
import io.rge.data.images.ImageTooLargeException;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthLayout;
import io.rge.data.synth.SynthManifest;
import io.rge.training.TestRuns;
import io.rge.training.config.TrainConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingDataTest {
  private static SynthLayout synth;

  @BeforeAll
  static void generate() {
    synth = new SynthLayout(TestRuns.synth());
  }

  private static TrainConfig.Data data(List<TrainConfig.Subset> subsets, List<String> images) {
    return new TrainConfig.Data(
        synth.trainRoot().toString(),
        null,
        subsets,
        null,
        synth.rationaleRoot().toString(),
        images,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void subsetsLoadWithRationalesIntoBatchesAndAVocabularyCoveringTheManifest() {
    List<TrainConfig.Subset> subsets =
        List.of(
            new TrainConfig.Subset(RgeSynth.FACTS, null, 10L, null),
            new TrainConfig.Subset(RgeSynth.DESCRIBE, null, null, 2.0));
    try (TrainingData data =
        TrainingData.open(data(subsets, List.of(synth.imageRoot().toString())), 4, 0)) {
      assertEquals(
          List.of(RgeSynth.FACTS + "/original", RgeSynth.DESCRIBE + "/original"),
          data.mixture().subsetNames());
      assertEquals(10, data.subsets().get(0).rows().size(), "capped");
      assertTrue(
          data.subsets().stream()
              .flatMap(s -> s.rows().stream())
              .allMatch(r -> r.rationale() != null));
      // 10 facts + 2 x 8 descriptions = 26 rows per epoch: 6 full batches of 4
      assertEquals(6, data.mixture().batchesPerEpoch());
      SortedSet<String> texts = data.vocabularyTexts();
      assertTrue(texts.containsAll(SynthManifest.read(synth.root()).vocabulary()));
      assertFalse(texts.stream().anyMatch(t -> t.contains("<|image_1|>")));
      assertEquals(texts, data.vocabularyTexts(), "deterministic");
      assertEquals(5, data.fingerprints().size(), "2 parquet, 2 rationale files, 1 image source");
    }
  }

  @Test
  void anImagePrefixTheSourcesLackIsStripped() {
    // The rows say SynthDescribe/...; a source that starts one level lower needs the prefix gone.
    Path images = synth.imageRoot();
    TrainConfig.Data config =
        new TrainConfig.Data(
            synth.trainRoot().toString(),
            null,
            List.of(new TrainConfig.Subset(RgeSynth.DESCRIBE, null, null, null)),
            null,
            null,
            List.of(images.resolve("train").toString()),
            "train",
            null,
            null,
            null,
            null,
            null);
    try (TrainingData data = TrainingData.open(config, 4, 0)) {
      String path = data.subsets().get(0).rows().get(0).qryImagePath();
      assertTrue(path.startsWith("train/"), path);
      assertTrue(data.images().load(path).getWidth() > 0);
    }
  }

  @Test
  void imagesAreDecodedUnderTheConfiguredLimitAndSubsampledToWhatTheModelKeeps() {
    List<TrainConfig.Subset> describe =
        List.of(new TrainConfig.Subset(RgeSynth.DESCRIBE, null, null, null));
    List<String> sources = List.of(synth.imageRoot().toString());
    TrainConfig.Data config = data(describe, sources);
    String path;
    BufferedImage full;
    try (TrainingData data = TrainingData.open(config, 4, 0)) {
      path = data.subsets().get(0).rows().get(0).qryImagePath();
      full = data.images().load(path); // full size without a decode target
    }
    // A processor keeping 100 pixels of a w x h image: every step-th pixel, step floor(sqrt(w h /
    // 100) / 2), so ceil(w / step) columns.
    int step = (int) Math.floor(Math.sqrt(full.getWidth() * full.getHeight() / 100.0) / 2);
    assertTrue(step > 1, "the synth image must be large enough to subsample: " + full.getWidth());
    try (TrainingData data = TrainingData.open(config, 4, 0, 100)) {
      assertEquals((full.getWidth() + step - 1) / step, data.images().load(path).getWidth());
    }
    TrainConfig.Data small =
        new TrainConfig.Data(
            config.trainRoot(),
            null,
            describe,
            null,
            config.rationales(),
            sources,
            null,
            null,
            null,
            null,
            null,
            10L);
    try (TrainingData data = TrainingData.open(small, 4, 0)) {
      ImageTooLargeException e =
          assertThrows(ImageTooLargeException.class, () -> data.images().load(path));
      assertTrue(e.getMessage().contains(path), e.getMessage());
    }
  }

  @Test
  void rowsWithImagesNeedAnImageSource() {
    RgeDataException e =
        assertThrows(
            RgeDataException.class,
            () ->
                TrainingData.open(
                    data(
                        List.of(new TrainConfig.Subset(RgeSynth.DESCRIBE, null, null, null)),
                        List.of()),
                    4,
                    0));
    assertTrue(e.getMessage().contains("data.images names no image source"), e.getMessage());
  }
}

package io.rge.core.generation;

import static io.rge.core.FloatAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.rge.core.DjlEngine;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.image.ReferenceTensors;
import io.rge.core.qwen25vl.CheckpointWeights;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.WeightLoader;
import io.rge.testfixtures.TestFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching and the shared prefix against the plainest generation there is, each query
 * alone (batch 1, nothing shared): greedy tokens identical, embeddings equal to float precision, on
 * the tiny fixture with text and image queries mixed and rationales from 1 to 24 tokens.
 */
class ContinuousBatchingTest {
  private static final int EMB = 428;
  private static final int PAD = 420;
  private static final int LIMIT = 24;
  private static final ReferenceTensors SHIPPED =
      ReferenceTensors.load("/fixtures/qwen25vl-tiny/expected.safetensors");
  private static NDManager root;
  private static Qwen25VLModel model;
  private static List<GenerationRequest> requests;
  private static List<GeneratedQuery> alone;

  @BeforeAll
  static void load() throws Exception {
    root = DjlEngine.get().newBaseManager();
    Path dir = TestFixtures.tinyModel();
    Qwen25VLConfig config = ModelConfigReader.read(dir.resolve("config.json"));
    // A larger <emb> embedding row (tied head) makes some prompts write <emb> early and others
    // late or never: rationales of very different lengths from one random model.
    try (CheckpointWeights w = WeightLoader.open(dir, config, WeightLoader.Strictness.STRICT)) {
      model =
          Qwen25VLModel.create(
              config, (name, shape) -> scaledEmb(w.floats(name, shape), name), root);
    }
    int[] text = SHIPPED.i64Row("batch_right.input_ids", 1);
    int[] picture = SHIPPED.i64Row("batch_right.input_ids", 0);
    requests = new ArrayList<>();
    requests.add(request(SHIPPED.i64Row("img0.input_ids", 0), image("img0")));
    for (int cut : new int[] {45, 41, 37, 33, 29}) {
      requests.add(request(Arrays.copyOf(text, cut), null));
    }
    requests.add(request(SHIPPED.i64Row("img1.input_ids", 0), image("img1")));
    requests.add(request(Arrays.copyOf(picture, 46), image("img0")));
    requests.add(request(Arrays.copyOf(picture, 40), image("img0")));
    RationaleGenerator generator = new RationaleGenerator(model, EMB, PAD);
    GenerationSettings one =
        GenerationSettings.greedy(LIMIT, 1).withBatching(Batching.STATIC).withSharedPrefix(false);
    alone = new ArrayList<>();
    for (GenerationRequest r : requests) {
      alone.add(generator.generate(root, List.of(r), one).get(0));
    }
  }

  @AfterAll
  static void close() {
    root.close();
  }

  private static GenerationRequest request(int[] ids, ProcessedImage image) {
    return new GenerationRequest(ids, image == null ? List.of() : List.of(image));
  }

  private static ProcessedImage image(String kase) {
    long[] g = SHIPPED.i64(kase + ".image_grid_thw");
    return new ProcessedImage(
        SHIPPED.f32(kase + ".pixel_values"),
        new ImageGrid((int) g[0], (int) g[1], (int) g[2]),
        1176);
  }

  private static float[] scaledEmb(float[] values, String name) {
    if (name.equals("model.embed_tokens.weight")) {
      for (int i = 0; i < 64; i++) {
        values[EMB * 64 + i] *= 4f;
      }
    }
    return values;
  }

  @Test
  void theWorkloadMixesShortAndLongRationales() {
    int[] lengths = alone.stream().mapToInt(q -> q.tokens().length).toArray();
    int min = Arrays.stream(lengths).min().orElseThrow();
    int max = Arrays.stream(lengths).max().orElseThrow();
    assertTrue(
        Arrays.stream(lengths).distinct().count() >= 4 && max - min >= 10,
        "rationale lengths should differ widely: " + Arrays.toString(lengths));
  }

  @Test
  void continuousBatchingEqualsEachQueryAlone() {
    for (boolean share : new boolean[] {false, true}) {
      GenerationSettings s = GenerationSettings.greedy(LIMIT, 3).withSharedPrefix(share);
      assertEqualsAlone(s);
    }
  }

  @Test
  void staticBatchingWithTheSharedPrefixEqualsEachQueryAlone() {
    assertEqualsAlone(GenerationSettings.greedy(LIMIT, 4).withBatching(Batching.STATIC));
  }

  @Test
  void everySlotCountGivesTheSameResults() {
    for (int slots : new int[] {2, 9}) {
      assertEqualsAlone(GenerationSettings.greedy(LIMIT, slots));
    }
  }

  @Test
  void theSharedPrefixStopsBeforeImagesAndLeavesEveryPromptATokenOfItsOwn() {
    int[] stops = {423, 424, 425, 426, 427};
    int[] prefix = SharedPrefix.of(requests, stops);
    // Every fixture prompt starts "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n
    // <|im_start|>user\n" (22 tokens); the image prompts continue with <|vision_start|>.
    int[] text = SHIPPED.i64Row("batch_right.input_ids", 1);
    assertArrayEquals(Arrays.copyOf(text, 22), prefix);
    assertEquals(423, SHIPPED.i64Row("img0.input_ids", 0)[22]);
    List<GenerationRequest> texts =
        List.of(request(Arrays.copyOf(text, 30), null), request(Arrays.copyOf(text, 30), null));
    assertEquals(29, SharedPrefix.of(texts, stops).length, "one token is left to each prompt");
    assertEquals(0, SharedPrefix.of(texts.subList(0, 1), stops).length, "nothing to share");
  }

  @Test
  void promptsJoiningTheRunningBatchAndACancelledRowLeaveEveryOtherResultAsAlone() {
    // One prompt arrives per call between steps (as a server's requests do), and the row with
    // the longest rationale is cancelled 3 steps after it started: its slot goes to later arrivals.
    int cancelled = 0;
    for (int i = 0; i < requests.size(); i++) {
      cancelled =
          alone.get(i).tokens().length > alone.get(cancelled).tokens().length ? i : cancelled;
    }
    int victim = cancelled;
    int[] takenAt = {-1};
    GeneratedQuery[] results = new GeneratedQuery[requests.size()];
    boolean[] cancel = new boolean[requests.size()];
    int[] steps = {0};
    GenerationSource arriving =
        new GenerationSource() {
          int next;

          @Override
          public int waiting() {
            return next < requests.size() ? 1 : 0;
          }

          @Override
          public List<GenerationJob> take(int max, boolean idle) {
            cancel[victim] = takenAt[0] >= 0 && steps[0] - takenAt[0] >= 3;
            if (max == 0 || next == requests.size()) {
              return List.of();
            }
            int index = next++;
            if (index == victim) {
              takenAt[0] = steps[0];
            }
            return List.of(
                new GenerationJob() {
                  @Override
                  public GenerationRequest request() {
                    return requests.get(index);
                  }

                  @Override
                  public boolean cancelled() {
                    return cancel[index];
                  }

                  @Override
                  public void complete(GeneratedQuery result) {
                    results[index] = result;
                  }
                });
          }

          @Override
          public void stepped(int rows) {
            steps[0]++;
          }
        };
    new RationaleGenerator(model, EMB, PAD)
        .run(root, arriving, GenerationSettings.greedy(LIMIT, 3).withSharedPrefix(false));
    assertTrue(alone.get(cancelled).tokens().length > 5, "the cancelled row outlives 3 steps");
    assertTrue(cancel[cancelled], "the row was cancelled");
    assertEquals(null, results[cancelled], "a cancelled row has no result");
    for (int i = 0; i < requests.size(); i++) {
      if (i != cancelled) {
        assertArrayEquals(alone.get(i).tokens(), results[i].tokens(), "request " + i);
        assertClose(alone.get(i).embedding(), results[i].embedding(), 1e-4);
      }
    }
  }

  private static void assertEqualsAlone(GenerationSettings settings) {
    List<GeneratedQuery> together =
        new RationaleGenerator(model, EMB, PAD).generate(root, requests, settings);
    assertEquals(requests.size(), together.size());
    for (int i = 0; i < requests.size(); i++) {
      String what = settings + ", request " + i;
      assertArrayEquals(alone.get(i).tokens(), together.get(i).tokens(), what);
      assertEquals(alone.get(i).embAppended(), together.get(i).embAppended(), what);
      assertClose(alone.get(i).embedding(), together.get(i).embedding(), 1e-4);
    }
  }
}

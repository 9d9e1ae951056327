package io.rge.training.parity;

import io.rge.core.RgeModel;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.qwen25vl.RopeIndex;
import io.rge.core.qwen25vl.SpecialTokenIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model and a fixture being compared, with what every case needs: the fixture format's rules for
 * images and {@code <emb>} positions, and the model's M-RoPE positions.
 */
final class ParitySession {
  private final RgeModel model;
  private final RgeModel reference;
  private final ParityFixture fixture;
  private final RopeIndex ropeIndex;
  private final ParityTolerances tolerances;

  /**
   * @param reference the same checkpoint in fp32, for the checks of a half-precision model that
   *     need the reference's logits where the fixture has none ({@link HalfGenerationCheck}); the
   *     model itself when it computes in fp32
   */
  ParitySession(
      RgeModel model, RgeModel reference, ParityFixture fixture, ImagePositions positions) {
    this.model = model;
    this.reference = reference;
    this.fixture = fixture;
    this.ropeIndex = new RopeIndex(model.config(), positions);
    this.tolerances = ParityTolerances.of(model.network().weights().storage());
  }

  /** Hidden states, logits and embeddings. */
  Tolerance hidden() {
    return tolerances.hidden();
  }

  /** Losses. */
  Tolerance loss() {
    return tolerances.loss();
  }

  /** Per-parameter gradient norms. */
  Tolerance gradient() {
    return tolerances.gradient();
  }

  RgeModel model() {
    return model;
  }

  /** The checkpoint in fp32 (the model itself in an fp32 run). */
  RgeModel reference() {
    return reference;
  }

  /**
   * Whether the model computes in a half type (generated sequences: {@link HalfGenerationCheck}).
   */
  boolean half() {
    return model.network().weights().storage() != ai.djl.ndarray.types.DataType.FLOAT32;
  }

  /** The top-two logit margin above which a half-precision greedy token must be the reference's. */
  double tokenMargin() {
    return tolerances.tokenMargin();
  }

  ParityFixture fixture() {
    return fixture;
  }

  /** The mask tensor {@code name} when the fixture has it, else all ones. */
  int[][] mask(String name, int[][] ids) {
    if (fixture.has(name)) {
      int[][] mask = fixture.intRows(name);
      if (mask.length != ids.length || mask[0].length != ids[0].length) {
        throw new IllegalArgumentException(name + " does not have the shape of its input ids");
      }
      return mask;
    }
    int[][] ones = new int[ids.length][ids[0].length];
    for (int[] row : ones) {
      Arrays.fill(row, 1);
    }
    return ones;
  }

  /**
   * The images of the rows' image blocks in order. A case with its own {@code pixel_values} uses
   * them; otherwise, as the fixture format defines for padded batches and the loss case, every
   * image block stands for {@code img0}'s image.
   */
  List<ProcessedImage> images(String kase, int[][] ids, int[][] mask) {
    List<ProcessedImage> own = fixture.images(kase);
    if (!own.isEmpty()) {
      return own;
    }
    int blocks = 0;
    for (int r = 0; r < ids.length; r++) {
      blocks += imageBlocks(ids[r], mask[r]);
    }
    if (blocks == 0) {
      return List.of();
    }
    List<ProcessedImage> shared = fixture.images("img0");
    if (shared.size() != 1) {
      throw new IllegalArgumentException(
          kase + " has image blocks but no pixel_values of its own, and img0 has no single image");
    }
    List<ProcessedImage> out = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      out.add(shared.get(0));
    }
    return out;
  }

  /** Image blocks ({@code <|vision_start|>} then an image pad) among the unmasked tokens. */
  int imageBlocks(int[] ids, int[] mask) {
    SpecialTokenIds t = model.config().tokens();
    int blocks = 0;
    int previous = -1;
    for (int i = 0; i < ids.length; i++) {
      if (mask != null && mask[i] == 0) {
        continue;
      }
      if (ids[i] == t.imagePad() && previous == t.visionStart()) {
        blocks++;
      }
      previous = ids[i];
    }
    return blocks;
  }

  /**
   * The position of each row's {@code <emb>}: {@code expected.json → cases.<case>.emb_positions}
   * when given, else the last unpadded {@code <emb>} (its id from the model's tokenizer).
   */
  int[] embPositions(String kase, int[][] ids, int[][] mask) {
    var given = fixture.json("cases", kase, "emb_positions");
    int[] out = new int[ids.length];
    if (given.isArray() && given.size() == ids.length) {
      for (int r = 0; r < out.length; r++) {
        out[r] = given.get(r).asInt();
      }
      return out;
    }
    int emb = model.tokenizer().embId();
    for (int r = 0; r < ids.length; r++) {
      out[r] = -1;
      for (int i = 0; i < ids[r].length; i++) {
        if (mask[r][i] != 0 && ids[r][i] == emb) {
          out[r] = i;
        }
      }
      if (out[r] < 0) {
        throw new IllegalArgumentException(
            kase + ": row " + r + " has no <emb> token (id " + emb + ")");
      }
    }
    return out;
  }

  /**
   * Compares {@code case.position_ids [3, B, L]} at unpadded positions and {@code case.rope_deltas
   * [B, 1]} (when the fixture has them) with the model's M-RoPE positions.
   */
  List<ParityRow> positionRows(
      String prefix, int[][] ids, int[][] mask, List<ProcessedImage> images) {
    List<ParityRow> rows = new ArrayList<>();
    String positionsName = prefix + "position_ids";
    String deltasName = prefix + "rope_deltas";
    if (!fixture.has(positionsName) && !fixture.has(deltasName)) {
      return rows;
    }
    List<ImageGrid> grids = images.stream().map(ProcessedImage::grid).toList();
    RopeIndex.RopePositions p = ropeIndex.compute(ids, mask, grids);
    if (fixture.has(positionsName)) {
      // Only unpadded positions: what padding holds is a convention (transformers 4 wrote 1,
      // transformers 5 writes 0) that no result depends on.
      long[] expected = fixture.longs(positionsName);
      int b = ids.length;
      int l = ids[0].length;
      if (expected.length != 3L * b * l) {
        rows.add(
            ParityRow.failed(
                positionsName,
                Tolerance.exact(),
                "size " + expected.length + ", not 3 x " + b + " x " + l));
      } else {
        long[] want = new long[expected.length];
        long[] got = new long[expected.length];
        int k = 0;
        for (int d = 0; d < 3; d++) {
          for (int r = 0; r < b; r++) {
            for (int i = 0; i < l; i++) {
              if (mask[r][i] != 0) {
                want[k] = expected[(d * b + r) * l + i];
                got[k++] = p.positions()[d][r][i];
              }
            }
          }
        }
        rows.add(ParityRow.compare(positionsName, Arrays.copyOf(want, k), Arrays.copyOf(got, k)));
      }
    }
    if (fixture.has(deltasName)) {
      rows.add(ParityRow.compare(deltasName, fixture.longs(deltasName), p.deltas()));
    }
    return rows;
  }
}

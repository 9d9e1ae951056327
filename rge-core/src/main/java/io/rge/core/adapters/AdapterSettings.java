package io.rge.core.adapters;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.rge.core.qwen25vl.CheckpointLayout;
import java.util.List;
import java.util.Locale;

/**
 * Low-rank adapters on a frozen model, as PEFT's {@code LoraConfig} describes them.
 *
 * @param type lora ({@code W x + (alpha / r) · B A x}) or dora (PEFT's DoRA: a magnitude vector
 *     times the row-normalised {@code W + (alpha / r) · B A})
 * @param r rank
 * @param alpha scale numerator: the update is scaled by {@code alpha / r}
 * @param dropout dropout on the adapter's input while training (0 for none)
 * @param targets module names (last name component, as PEFT matches them), e.g. {@code q_proj}
 * @param vision whether the vision tower's matching modules get adapters too
 */
public record AdapterSettings(
    Type type, int r, double alpha, double dropout, List<String> targets, boolean vision) {

  /** The adapter kind. */
  public enum Type {
    LORA,
    DORA;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** RGE's public code: DoRA, r 16, alpha 64, dropout 0.1, attention and MLP projections. */
  public static final List<String> RGE_TARGETS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public AdapterSettings {
    targets = targets == null ? RGE_TARGETS : List.copyOf(targets);
    if (type == null) {
      throw new IllegalArgumentException("adapters.type is required: lora or dora");
    }
    if (r < 1) {
      throw new IllegalArgumentException("adapters.r must be >= 1, got " + r);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("adapters.alpha must be > 0, got " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("adapters.dropout must be in [0, 1), got " + dropout);
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("adapters.targets must name at least one module");
    }
  }

  /**
   * The {@code adapters:} section of a config; each absent field keeps its {@link #rge()} value.
   */
  @JsonCreator
  public static AdapterSettings of(
      @JsonProperty(value = "type", required = true) Type type,
      @JsonProperty("r") Integer r,
      @JsonProperty("alpha") Double alpha,
      @JsonProperty("dropout") Double dropout,
      @JsonProperty("targets") List<String> targets,
      @JsonProperty("vision") Boolean vision) {
    AdapterSettings d = rge();
    return new AdapterSettings(
        type,
        r == null ? d.r() : r,
        alpha == null ? d.alpha() : alpha,
        dropout == null ? d.dropout() : dropout,
        targets == null ? d.targets() : targets,
        vision == null ? d.vision() : vision);
  }

  /** RGE's code: {@code use_dora=True}, r 16, alpha 64, dropout 0.1, {@link #RGE_TARGETS}. */
  public static AdapterSettings rge() {
    return new AdapterSettings(Type.DORA, 16, 64, 0.1, RGE_TARGETS, false);
  }

  /**
   * Whether the checkpoint tensor {@code name} (canonical, e.g. {@code
   * model.layers.3.self_attn.q_proj.weight}) is the weight of a module these settings adapt: a
   * matrix of a decoder layer (or of a vision block when {@link #vision()}) whose module's last
   * name component is a target, as PEFT matches {@code target_modules}.
   */
  public boolean adapts(String name, long[] shape) {
    if (!name.endsWith(".weight") || shape.length != 2) {
      return false;
    }
    String module = name.substring(0, name.length() - ".weight".length());
    String last = module.substring(module.lastIndexOf('.') + 1);
    boolean section =
        module.startsWith(CheckpointLayout.DECODER_LAYER_PREFIX)
            || (vision && module.startsWith(CheckpointLayout.VISION_BLOCK_PREFIX));
    return section && targets.contains(last);
  }

  /**
   * Trainable parameters of the adapter on a weight {@code [out, in]}: A {@code [r, in]}, B {@code
   * [out, r]} and, for DoRA, the magnitude {@code [out]}.
   */
  public long parameters(long[] shape) {
    long out = shape[0];
    long in = shape[1];
    return r * (in + out) + (type == Type.DORA ? out : 0);
  }

  /** {@code alpha / r}. */
  public double scale() {
    return alpha / r;
  }
}

package io.rge.cli;

import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import picocli.CommandLine.Option;

/**
 * {@code --precision fp32|bf16|fp16|auto}, mixed into the commands that run a model. {@code auto}
 * (the default) is fp32 on the CPU and, on a GPU, bf16 where the JNI library maps it, else fp16.
 */
public final class PrecisionOption {
  @Option(
      names = "--precision",
      paramLabel = "fp32|bf16|fp16|auto",
      converter = PrecisionOption.Checked.class,
      description =
          "Compute precision (default: auto = fp32 on the CPU; on a GPU bf16 where DJL's JNI maps"
              + " it, see scripts/build-djl-jni, else fp16).")
  private String value;

  /** The requested precision, or null for auto; a bad value is a usage error naming it. */
  public ComputePrecision requested() {
    try {
      return PrecisionChoice.parseOrAuto(value);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** Checks the value while parsing, so a bad one is a usage error (exit 2); keeps the text. */
  static final class Checked implements picocli.CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String text) {
      try {
        PrecisionChoice.parseOrAuto(text);
        return text;
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** The raw value given, or null. */
  public String raw() {
    return value;
  }
}

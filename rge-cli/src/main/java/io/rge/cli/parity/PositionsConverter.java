package io.rge.cli.parity;

import io.rge.core.qwen25vl.ImagePositions;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --positions grid|sequential} (any case). */
final class PositionsConverter implements ITypeConverter<ImagePositions> {
  @Override
  public ImagePositions convert(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "grid" -> ImagePositions.GRID;
      case "sequential" -> ImagePositions.SEQUENTIAL;
      default ->
          throw new TypeConversionException(
              "positions '" + value + "' is not one of grid, sequential");
    };
  }
}

package io.rge.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code on|off} (also true/false, yes/no) for options such as {@code --reasoning}. */
public final class OnOffConverter implements ITypeConverter<Boolean> {
  @Override
  public Boolean convert(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> throw new TypeConversionException("'" + value + "' is not one of on, off");
    };
  }
}

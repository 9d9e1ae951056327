package io.rge.cli;

import io.rge.core.DeviceChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a {@code --device cpu|gpu|auto} option; a bad value is a usage error naming it. */
public final class DeviceConverter implements ITypeConverter<DeviceChoice> {
  @Override
  public DeviceChoice convert(String value) {
    try {
      return DeviceChoice.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}

package io.rge.cli.train;

import io.rge.core.DeviceList;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --devices all|gpu0,gpu1|cpu,cpu}; a bad entry is a usage error naming it. */
public final class DevicesConverter implements ITypeConverter<DeviceList> {
  @Override
  public DeviceList convert(String value) {
    try {
      return DeviceList.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}

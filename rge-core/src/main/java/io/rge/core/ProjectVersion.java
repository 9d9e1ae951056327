package io.rge.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The RGE project version, written into the jar by Maven resource filtering. */
public final class ProjectVersion {
  private static final String RESOURCE = "rge-version.properties";

  private ProjectVersion() {}

  /** The version from the POM, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    try (InputStream in = ProjectVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing from rge-core's classes; build the project with Maven");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version");
      if (version == null || version.contains("${")) {
        throw new IllegalStateException(
            RESOURCE + " holds no filtered version ('" + version + "'); build with Maven");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}

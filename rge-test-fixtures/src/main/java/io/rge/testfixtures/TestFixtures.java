package io.rge.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test fixtures of every module as real files: the one copy of the tiny Qwen2.5-VL (model,
 * tokenizer, images, transformers reference tensors), the image-processor references and a
 * published model config. {@code fixtures/README.md} in this module says what each file is.
 *
 * <p>Why a {@link Path}, and how it is found: model loaders read a folder, so tests need files, not
 * class-path streams. The fixtures are this module's resources, found through the class path (a
 * marker, {@code /fixtures/README.md}), because where they sit depends on how the tests run:
 *
 * <ul>
 *   <li>In an IDE, or in a reactor build that stops before {@code package} ({@code mvn test}), the
 *       class path holds this module's output folder ({@code rge-test-fixtures/target/classes}):
 *       the resources already are files, and that folder is returned as it is.
 *   <li>In a reactor {@code verify} (any build from {@code package} on), Maven puts this module's
 *       jar on the class path. The fixtures are then extracted, once per JVM, into the folder named
 *       by the system property {@value #DIR_PROPERTY} (the parent pom's surefire set-up names the
 *       testing module's {@code target/rge-test-fixtures}), or without it into {@code
 *       rge-test-fixtures-<user>} under {@code java.io.tmpdir}. Each file is checked against the
 *       jar's bytes and written (temp file, then rename) only when it differs; files the jar does
 *       not hold are removed.
 * </ul>
 *
 * Resolving the class path, rather than this module's source folder relative to the working
 * directory, gives one rule for Maven, surefire's forked JVMs and IDEs, from whatever folder a test
 * starts, and always serves what the build packaged.
 *
 * <p>The folder is shared by all tests of a JVM (in-tree, by all modules): read it, and copy what a
 * test means to change. A test that only streams a file may read it from the class path under
 * {@value #RESOURCE_ROOT} instead.
 */
public final class TestFixtures {
  /** The class-path folder of the fixtures. */
  public static final String RESOURCE_ROOT = "/fixtures";

  /** The system property naming the folder that fixtures found in a jar are extracted to. */
  public static final String DIR_PROPERTY = "rge.test.fixtures.dir";

  private static final String MARKER = RESOURCE_ROOT + "/README.md";

  private static Path root;

  private TestFixtures() {}

  /** The tiny Qwen2.5-VL model folder ({@code qwen25vl-tiny}), with its reference outputs. */
  public static Path tinyModel() {
    return file("qwen25vl-tiny");
  }

  /** A fixture file or folder by its path under {@code fixtures/}, e.g. {@code configs/x.json}. */
  public static Path file(String relative) {
    Path path = root().resolve(relative).normalize();
    if (!path.startsWith(root()) || !Files.exists(path)) {
      throw new IllegalArgumentException("no test fixture '" + relative + "' in " + root());
    }
    return path;
  }

  /** The folder of all fixtures, as real files. */
  public static synchronized Path root() {
    if (root == null) {
      root = locate();
    }
    return root;
  }

  private static Path locate() {
    URL marker = TestFixtures.class.getResource(MARKER);
    if (marker == null) {
      throw new IllegalStateException(
          "no " + MARKER + " on the class path: add rge-test-fixtures as a test dependency");
    }
    try {
      switch (marker.getProtocol()) {
        case "file":
          return Path.of(marker.toURI()).getParent();
        case "jar":
          Path jar = Path.of(((JarURLConnection) marker.openConnection()).getJarFileURL().toURI());
          return FixtureExtraction.extract(jar, RESOURCE_ROOT.substring(1), extractionFolder());
        default:
          throw new IllegalStateException(
              "test fixtures at " + marker + ": expected a folder or a jar on the class path");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("extracting the test fixtures from " + marker, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("test fixtures at " + marker + ": " + e.getMessage(), e);
    }
  }

  private static Path extractionFolder() {
    String configured = System.getProperty(DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    return Path.of(
            System.getProperty("java.io.tmpdir"),
            "rge-test-fixtures-" + System.getProperty("user.name"))
        .toAbsolutePath()
        .normalize();
  }
}

package io.rge.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.DeviceChoice;
import io.rge.testfixtures.TestFixtures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** A server on the tiny fixture model, on a free loopback port, and a JDK HTTP client for it. */
final class TestServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  final EmbeddingServer server;

  TestServer(ServeSettings settings) throws InterruptedException {
    this.server = EmbeddingServer.start(loading(), settings.withHost("127.0.0.1").withPort(0));
    awaitReady();
  }

  static ModelLoading loading() {
    return new ModelLoading(fixture(), null, DeviceChoice.CPU, null);
  }

  static Path fixture() {
    return TestFixtures.tinyModel();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return postAsync(body).join();
  }

  CompletableFuture<HttpResponse<String>> postAsync(String body) {
    return CLIENT.sendAsync(
        HttpRequest.newBuilder(uri("/v1/embeddings"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A metric's value in the /metrics scrape (the first series of that name). */
  double metric(String name) throws IOException, InterruptedException {
    String text = get("/metrics").body();
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([-0-9.eE+NaInf]+)$")
            .matcher(text);
    if (!m.find()) {
      throw new AssertionError("no metric " + name + " in\n" + text);
    }
    return Double.parseDouble(m.group(2));
  }

  /** Polls a metric until it meets {@code condition} (bounded: 60 s), and returns it. */
  double awaitMetric(String name, java.util.function.DoublePredicate condition)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    double value = metric(name);
    while (!condition.test(value)) {
      if (System.nanoTime() > end) {
        throw new AssertionError(name + " stayed at " + value);
      }
      Thread.sleep(5);
      value = metric(name);
    }
    return value;
  }

  private void awaitReady() throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!server.ready()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("the server did not become ready");
      }
      Thread.sleep(10);
    }
  }

  static JsonNode parse(String body) throws IOException {
    return JSON.readTree(body);
  }

  /** A small PNG as a data URI: a colour block of the given size with a diagonal of another. */
  static String pngUri(int width, int height, Color background, Color line) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(background);
    g.fillRect(0, 0, width, height);
    g.setColor(line);
    g.drawLine(0, 0, width - 1, height - 1);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
  }

  static BufferedImage decodeUri(String uri) throws IOException {
    byte[] bytes = Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1));
    return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
  }

  @Override
  public void close() throws InterruptedException {
    server.stop();
  }
}

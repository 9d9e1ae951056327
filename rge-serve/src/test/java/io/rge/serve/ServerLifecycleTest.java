package io.rge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.DeviceChoice;
import io.rge.core.generation.GenerationSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure, deadlines, client disconnects and shutdown, on a server whose queries run long (up
 * to 200 tokens on the tiny fixture). Conditions are awaited through /metrics, never timed.
 */
class ServerLifecycleTest {
  private static final String QUERY = "{\"input\": \"a long rationale, please\"}";

  private static ServeSettings settings(int slots, int queue) {
    return ServeSettings.defaults()
        .withGeneration(GenerationSettings.greedy(200, slots))
        .withLimits(queue, 64, 1 << 20, 64 * 64);
  }

  @Test
  void aFullQueueIsAnswered429WithRetryAfter() throws Exception {
    try (TestServer server = new TestServer(settings(1, 1))) {
      CompletableFuture<HttpResponse<String>> running = server.postAsync(QUERY);
      server.awaitMetric("rge_slots_used", v -> v >= 1);
      CompletableFuture<HttpResponse<String>> queued = server.postAsync(QUERY);
      server.awaitMetric("rge_queue_depth", v -> v >= 1);
      HttpResponse<String> refused = server.post(QUERY);
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
      assertEquals(
          "rate_limit_error", TestServer.parse(refused.body()).get("error").get("type").asText());
      assertEquals(200, running.join().statusCode());
      assertEquals(200, queued.join().statusCode());
    }
  }

  @Test
  void aRequestPastItsDeadlineIs504AndFreesItsSlot() throws Exception {
    ServeSettings s = settings(1, 8).withTimeouts(Duration.ofMillis(100), Duration.ofSeconds(30));
    try (TestServer server = new TestServer(s)) {
      HttpResponse<String> late = server.post("{\"input\": [\"a\", \"b\", \"c\", \"d\"]}");
      assertEquals(504, late.statusCode(), late.body());
      server.awaitMetric("rge_cancelled_items_total", v -> v >= 1);
      server.awaitMetric("rge_slots_used", v -> v == 0);
      assertEquals(0, server.metric("rge_queue_depth"));
    }
  }

  @Test
  void aClientThatDisconnectsFreesItsSlots() throws Exception {
    try (TestServer server = new TestServer(settings(2, 64))) {
      String body = "{\"input\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\"]}";
      try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
        OutputStream out = socket.getOutputStream();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(
            ("POST /v1/embeddings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + bytes.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        server.awaitMetric("rge_slots_used", v -> v >= 1);
      }
      // The socket is closed mid-generation: its rows leave the batch and its waiting items the
      // queue, so the slots are free long before 8 rationales of up to 200 tokens could end.
      server.awaitMetric("rge_cancelled_items_total", v -> v >= 1);
      server.awaitMetric("rge_slots_used", v -> v == 0);
      assertEquals(0, server.metric("rge_queue_depth"));
      assertEquals(200, server.post("{\"input\": \"after\"}").statusCode(), "still serving");
    }
  }

  @Test
  void stopDrainsTheRequestsInFlightThenRefusesConnections() throws Exception {
    TestServer server = new TestServer(settings(2, 64));
    CompletableFuture<HttpResponse<String>> running =
        server.postAsync("{\"input\": [\"a\", \"b\", \"c\"]}");
    server.awaitMetric("rge_slots_used", v -> v >= 1);
    int port = server.server.port();
    assertTrue(server.server.stop(), "every request in flight was answered");
    HttpResponse<String> answer = running.join();
    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals(3, TestServer.parse(answer.body()).get("data").size());
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
  }

  @Test
  void aModelThatCannotLoadLeavesHealthFailedAndEmbeddingsUnavailable(@TempDir Path empty)
      throws Exception {
    EmbeddingServer server =
        EmbeddingServer.start(
            new ModelLoading(empty, null, DeviceChoice.CPU, null),
            ServeSettings.defaults().withPort(0));
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.URI health = java.net.URI.create("http://127.0.0.1:" + server.port() + "/health");
      String status = "";
      for (int i = 0; i < 6000 && !status.contains("failed"); i++) {
        status =
            http.send(
                    java.net.http.HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Thread.sleep(10);
      }
      assertEquals("{\"status\":\"failed\"}", status);
      HttpResponse<String> answer =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings"))
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(QUERY))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(503, answer.statusCode());
    } finally {
      server.stop();
    }
  }
}

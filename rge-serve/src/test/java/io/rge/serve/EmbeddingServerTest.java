package io.rge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.MultimodalInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings;
import java.awt.Color;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server on the tiny fixture: answers of parallel requests against {@link RgeModel}'s batch API
 * on a model of its own (each item alone), the OpenAI shape, and every bad input named.
 */
class EmbeddingServerTest {
  private static final GenerationSettings GENERATION = GenerationSettings.greedy(24, 4);
  private static final int MAX_INPUTS = 8;
  private static final long MAX_BODY = 64 * 1024;
  private static final long MAX_PIXELS = 64 * 64;
  private static TestServer server;
  private static RgeModel reference;
  private static final List<ObjectNode> ITEMS = new ArrayList<>();
  private static final List<float[]> EXPECTED = new ArrayList<>();
  private static final List<String> RATIONALES = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server =
        new TestServer(
            ServeSettings.defaults()
                .withGeneration(GENERATION)
                .withLimits(1024, MAX_INPUTS, MAX_BODY, MAX_PIXELS));
    reference = TestServer.loading().load();
    String[] texts = {
      "a red fox in the snow", "two manta rays", "find the cat", "a bicycle by a wall"
    };
    Color[] colours = {Color.RED, Color.BLUE, Color.GREEN, Color.ORANGE};
    for (int i = 0; i < texts.length; i++) {
      ObjectNode on = TestServer.JSON.createObjectNode().put("text", texts[i]);
      add(on.deepCopy().put("reasoning", i % 2 == 0 ? "on" : "auto"));
      add(on.deepCopy().put("reasoning", "off"));
      add(on.deepCopy().put("role", "candidate"));
      String uri = TestServer.pngUri(28 + 8 * i, 40, colours[i], Color.WHITE);
      add(on.deepCopy().put("image", uri).put("role", i % 2 == 0 ? "query" : "candidate"));
    }
  }

  /** An item and its expected vector, from the batch API, alone. */
  private static void add(ObjectNode item) throws Exception {
    ITEMS.add(item);
    MultimodalInput input =
        new MultimodalInput(
            item.get("text").asText(),
            item.has("image") ? TestServer.decodeUri(item.get("image").asText()) : null);
    boolean candidate = item.path("role").asText("query").equals("candidate");
    boolean reasoning = !candidate && !item.path("reasoning").asText("on").equals("off");
    if (candidate) {
      EXPECTED.add(reference.embedCandidates(List.of(input)).get(0));
      RATIONALES.add(null);
    } else {
      QueryEmbedding q = reference.embedQueries(List.of(input), reasoning, GENERATION).get(0);
      EXPECTED.add(q.vector());
      RATIONALES.add(reasoning ? q.rationale() : null);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    reference.close();
  }

  @Test
  void parallelRequestsGetTheVectorsOfEachItemAlone() throws Exception {
    List<int[]> plan = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int r = 0; r < 64; r++) {
      int[] items = r % 2 == 0 ? new int[] {r % ITEMS.size()} : new int[] {r % 16, (r * 7) % 16};
      ObjectNode body = TestServer.JSON.createObjectNode().put("model", "tiny");
      ArrayNode input = body.putArray("input");
      for (int i : items) {
        input.add(ITEMS.get(i));
      }
      plan.add(items);
      answers.add(server.postAsync(body.toString()));
    }
    for (int r = 0; r < plan.size(); r++) {
      HttpResponse<String> answer = answers.get(r).join();
      assertEquals(200, answer.statusCode(), answer.body());
      JsonNode root = TestServer.parse(answer.body());
      assertEquals("list", root.get("object").asText());
      assertEquals("tiny", root.get("model").asText());
      JsonNode data = root.get("data");
      assertEquals(plan.get(r).length, data.size());
      for (int k = 0; k < plan.get(r).length; k++) {
        int item = plan.get(r)[k];
        JsonNode d = data.get(k);
        assertEquals(k, d.get("index").asInt());
        assertClose(EXPECTED.get(item), floats(d.get("embedding")), "request " + r + " item " + k);
        if (RATIONALES.get(item) == null) {
          assertFalse(d.has("rationale"), "no rationale without reasoning");
        } else {
          assertEquals(RATIONALES.get(item), d.get("rationale").asText());
        }
      }
      JsonNode usage = root.get("usage");
      assertEquals(
          usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt(),
          usage.get("total_tokens").asInt());
    }
  }

  @Test
  void aStringInputIsAReasonedQueryAndBase64IsLittleEndianFloat32() throws Exception {
    String text = ITEMS.get(0).get("text").asText();
    ObjectNode body = TestServer.JSON.createObjectNode().put("input", text);
    body.put("encoding_format", "base64");
    HttpResponse<String> answer = server.post(body.toString());
    assertEquals(200, answer.statusCode(), answer.body());
    JsonNode d = TestServer.parse(answer.body()).get("data").get(0);
    byte[] bytes = Base64.getDecoder().decode(d.get("embedding").asText());
    float[] vector = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    assertClose(EXPECTED.get(0), vector, "base64");
    assertEquals(RATIONALES.get(0), d.get("rationale").asText());
  }

  @Test
  void everyBadInputIsA400NamingItsField() throws Exception {
    String tooBig = TestServer.pngUri(65, 64, Color.RED, Color.WHITE);
    String notImage =
        "data:image/png;base64," + Base64.getEncoder().encodeToString("hello".getBytes());
    String[][] cases = {
      {"{\"input\": [\"a\",", "body"},
      {"[1, 2]", "body"},
      {"{}", "input"},
      {"{\"input\": 3}", "input"},
      {"{\"input\": []}", "input"},
      {"{\"input\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}", "input"},
      {"{\"input\": [\"a\", 7]}", "input[1]"},
      {"{\"input\": [{\"text\": 5}]}", "input[0].text"},
      {"{\"input\": [{\"role\": \"query\"}]}", "input[0]"},
      {"{\"input\": [{\"text\": \"a\", \"role\": \"doc\"}]}", "input[0].role"},
      {"{\"input\": [{\"text\": \"a\", \"reasoning\": \"maybe\"}]}", "input[0].reasoning"},
      {
        "{\"input\": [{\"text\": \"a\", \"role\": \"candidate\", \"reasoning\": \"on\"}]}",
        "input[0].reasoning"
      },
      {"{\"input\": [{\"text\": \"a\", \"colour\": 1}]}", "input[0].colour"},
      {"{\"input\": \"a\", \"encoding_format\": \"int8\"}", "encoding_format"},
      {"{\"input\": \"a\", \"temperature\": 1}", "temperature"},
      {"{\"input\": [{\"image\": \"/etc/passwd\"}]}", "input[0].image"},
      {"{\"input\": [{\"image\": \"https://example.com/a.png\"}]}", "input[0].image"},
      {"{\"input\": [{\"image\": \"data:image/png;base64,***\"}]}", "input[0].image"},
      {"{\"input\": [{\"image\": \"" + notImage + "\"}]}", "input[0].image"},
      {"{\"input\": [\"a\", {\"text\": \"b\", \"image\": \"" + tooBig + "\"}]}", "input[1].image"},
    };
    for (String[] c : cases) {
      HttpResponse<String> answer = server.post(c[0]);
      assertEquals(400, answer.statusCode(), c[0] + " -> " + answer.body());
      JsonNode error = TestServer.parse(answer.body()).get("error");
      assertEquals(c[1], error.get("param").asText(), c[0] + " -> " + answer.body());
      assertEquals("invalid_request_error", error.get("type").asText());
    }
    assertEquals(200, server.get("/health").statusCode(), "the server is still up");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    String body = "{\"input\": \"" + "a".repeat((int) MAX_BODY) + "\"}";
    HttpResponse<String> answer = server.post(body);
    assertEquals(413, answer.statusCode(), answer.body());
    assertEquals("body", TestServer.parse(answer.body()).get("error").get("param").asText());
  }

  @Test
  void healthAndMetrics() throws Exception {
    HttpResponse<String> health = server.get("/health");
    assertEquals(200, health.statusCode());
    assertEquals("ready", TestServer.parse(health.body()).get("status").asText());
    server.post("{\"input\": \"a\"}");
    assertTrue(server.metric("rge_generated_tokens_total") > 0);
    assertEquals(0, server.metric("rge_queue_depth"));
    assertTrue(server.metric("rge_slots_occupancy") >= 0);
    server.metric("rge_generated_tokens_per_second");
    server.metric("rge_request_latency_seconds_bucket");
  }

  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5, what + ", dimension " + i);
    }
  }
}

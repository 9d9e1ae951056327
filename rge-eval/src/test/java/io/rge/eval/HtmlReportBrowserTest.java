package io.rge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.eval.report.HtmlReport;
import io.rge.eval.report.Prediction;
import io.rge.eval.report.PredictionsJsonl;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens an evaluation's {@code report.html} in a real browser (headless Chromium, driven over the
 * DevTools protocol on 127.0.0.1) and checks the rendered page against the evaluation's own files:
 * one score row per dataset scored, one query block per sampled prediction, every image decoded,
 * and the "only wrong answers" switch, clicked, leaving exactly the wrong predictions visible. It
 * saves a screenshot to {@code target/html-report/report.png}. {@code .ci/run} installs Chromium
 * when it is missing; elsewhere the test is skipped, with a message, only when Chromium is absent
 * and the {@code CI} variable is unset.
 */
class HtmlReportBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theReportRendersAndFiltersInChromium(@TempDir Path dir) throws Exception {
    String chromium = chromium();
    Path data = TestData.miniMmeb(dir.resolve("MMEB-eval"));
    Path out = dir.resolve("out");
    EvalReport report =
        new MmebEvaluator(new WordEmbedder())
            .evaluate(
                EvalData.mmeb(data, null),
                EvalSettings.builder(out).reasoning(true).modelLabel("words").build());
    Path html = out.resolve(MmebEvaluator.HTML_FILE);
    String page = Files.readString(html);
    assertFalse(
        Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(),
        "the page loads nothing from the network");

    List<Prediction> predictions = PredictionsJsonl.read(report.predictions());
    long shownQueries = 0;
    long shownWrong = 0;
    for (String dataset : List.of("ImageNet-1K", "MSCOCO_t2i")) {
      List<Prediction> rows =
          predictions.stream()
              .filter(p -> p.dataset().equals(dataset))
              .limit(HtmlReport.SAMPLE)
              .toList();
      shownQueries += rows.size();
      shownWrong += rows.stream().filter(p -> !p.correct()).count();
    }
    assertTrue(shownWrong > 0 && shownWrong < shownQueries, "the filter has something to do");
    JsonNode scores = JSON.readTree(report.scoresJson().toFile());

    Path profile = Files.createDirectories(dir.resolve("profile"));
    Process browser =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=1200,1400",
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (DevTools tab = DevTools.connect(browser)) {
      tab.call("Page.enable", Map.of());
      tab.call("Page.navigate", Map.of("url", html.toUri().toString()));
      tab.waitFor(
          "document.readyState === 'complete' && [...document.images].every(i => i.complete)");
      assertEquals(
          scores.get("datasets").size(),
          tab.number("document.querySelectorAll('table.scores tbody tr').length"));
      assertEquals(shownQueries, tab.number("document.querySelectorAll('article.query').length"));
      long images = tab.number("document.images.length");
      assertTrue(images > 0, "thumbnails shown");
      assertEquals(
          images,
          tab.number("[...document.images].filter(i => i.naturalWidth > 0).length"),
          "every image decoded");
      String visible =
          "[...document.querySelectorAll('article.query')]"
              + ".filter(a => a.offsetParent !== null).length";
      assertEquals(shownQueries, tab.number(visible));
      tab.evaluate("document.getElementById('only-wrong').click()");
      assertEquals(shownWrong, tab.number(visible), "only the wrong answers remain");
      assertEquals(
          shownWrong + " of " + shownQueries + " queries shown",
          tab.evaluate("document.getElementById('shown').textContent").asText());
      tab.evaluate("document.getElementById('only-wrong').click()");
      JsonNode shot = tab.call("Page.captureScreenshot", Map.of("format", "png"));
      Path png = Path.of("target", "html-report", "report.png");
      Files.createDirectories(png.getParent());
      Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
    } finally {
      // Chromium's helpers (zygote, renderers) outlive the browser process for a moment and keep
      // writing to the profile: stop every one and wait, or the temp folder's cleanup races them.
      List<ProcessHandle> helpers = browser.descendants().toList();
      browser.destroy();
      helpers.forEach(ProcessHandle::destroy);
      if (!browser.waitFor(10, TimeUnit.SECONDS)) {
        browser.destroyForcibly();
      }
      for (ProcessHandle helper : helpers) {
        try {
          helper.onExit().get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          helper.destroyForcibly();
        }
      }
    }
  }

  /** Chromium's command, or a skip (outside CI) or a failure (in CI) when there is none. */
  private static String chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(folder, name))) {
          return Path.of(folder, name).toString();
        }
      }
    }
    boolean ci = System.getenv("CI") != null;
    assertFalse(ci, "chromium is missing; .ci/run installs it (apt-get install chromium)");
    Assumptions.assumeTrue(
        false, "chromium is not installed (apt-get install chromium); report.html not rendered");
    return null;
  }

  /** A page of the browser, driven over the DevTools protocol's WebSocket. */
  private static final class DevTools implements WebSocket.Listener, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final StringBuilder frame = new StringBuilder();
    private WebSocket socket;

    static DevTools connect(Process browser) throws Exception {
      // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/..." on stderr.
      BufferedReader err =
          new BufferedReader(
              new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
      String port = null;
      for (String line; port == null && (line = err.readLine()) != null; ) {
        Matcher m = listening.matcher(line);
        if (m.find()) {
          port = m.group(1);
        }
      }
      assertTrue(port != null, "chromium did not open its DevTools port");
      Thread drain = new Thread(() -> err.lines().forEach(l -> {}));
      drain.setDaemon(true);
      drain.start();
      HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      String list =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      String target = null;
      for (JsonNode t : JSON.readTree(list)) {
        if (t.get("type").asText().equals("page")) {
          target = t.get("webSocketDebuggerUrl").asText();
        }
      }
      assertTrue(target != null, "no page in " + list);
      DevTools tab = new DevTools();
      tab.socket =
          http.newWebSocketBuilder().buildAsync(URI.create(target), tab).get(60, TimeUnit.SECONDS);
      return tab;
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonNode> result = new CompletableFuture<>();
      pending.put(id, result);
      ObjectNode message = JSON.createObjectNode();
      message.put("id", id);
      message.put("method", method);
      message.set("params", JSON.valueToTree(params));
      socket.sendText(JSON.writeValueAsString(message), true).get(60, TimeUnit.SECONDS);
      JsonNode response = result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertFalse(response.has("error"), method + ": " + response);
      return response.get("result");
    }

    JsonNode evaluate(String expression) throws Exception {
      JsonNode r =
          call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
      assertFalse(r.has("exceptionDetails"), expression + ": " + r);
      return r.get("result").path("value");
    }

    long number(String expression) throws Exception {
      return evaluate(expression).asLong();
    }

    void waitFor(String condition) throws Exception {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!evaluate(condition).asBoolean()) {
        assertTrue(System.nanoTime() < deadline, "the page never satisfied: " + condition);
        Thread.sleep(100);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      frame.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(frame.toString());
          if (message.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
            if (f != null) {
              f.complete(message);
            }
          }
        } catch (Exception e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
        frame.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }
}

package io.rge.eval.report;

import io.rge.core.files.AtomicFiles;
import io.rge.data.images.ImageStore;
import io.rge.data.mmeb.EvalRow;
import io.rge.data.mmeb.MmebEvalReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.eval.score.DatasetScore;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code report.html}: the evaluation as one self-contained page for error analysis. Per dataset
 * the P@1 table, and for the first {@link #SAMPLE} queries of each dataset the query (text and
 * image), the generated rationale and the top candidates with their scores, the correct one
 * (candidate 0) marked; a switch shows only the wrongly answered queries. Images are inlined as
 * small PNG data URIs and the page loads nothing from anywhere else.
 */
public final class HtmlReport {
  /** Queries shown per dataset. */
  public static final int SAMPLE = 12;

  static final int THUMBNAIL = 96;

  private HtmlReport() {}

  /**
   * Writes the page.
   *
   * @param root the data root whose datasets were scored (rows are read again for the sample)
   * @param images where the rows' images are, or null when there are none
   */
  public static void write(
      Path file, RunRecord record, List<Prediction> predictions, Path root, ImageStore images)
      throws IOException {
    Map<String, List<Prediction>> sample = new LinkedHashMap<>();
    for (Prediction p : predictions) {
      List<Prediction> shown = sample.computeIfAbsent(p.dataset(), d -> new ArrayList<>());
      if (shown.size() < SAMPLE) {
        shown.add(p);
      }
    }
    StringBuilder html = new StringBuilder();
    head(html, record);
    scoreTable(html, record);
    Thumbnails thumbnails = new Thumbnails(images);
    for (Map.Entry<String, List<Prediction>> e : sample.entrySet()) {
      Map<Long, EvalRow> rows = rows(root, e.getKey(), e.getValue());
      html.append("<section class=\"dataset\" id=\"")
          .append(escape(e.getKey()))
          .append("\">\n<h2>")
          .append(escape(e.getKey()))
          .append("</h2>\n");
      for (Prediction p : e.getValue()) {
        query(html, p, rows.get(p.row()), thumbnails);
      }
      html.append("</section>\n");
    }
    html.append("</main>\n").append(SCRIPT).append("</body>\n</html>\n");
    AtomicFiles.write(file, html.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void head(StringBuilder html, RunRecord record) {
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(escape(record.dataName() + ": " + record.modelLabel()))
        .append("</title>\n")
        .append(STYLE)
        .append("</head>\n<body>\n<header>\n<h1>")
        .append(escape(record.dataName()))
        .append(" — ")
        .append(escape(record.modelLabel()))
        .append("</h1>\n<p>Overall Precision@1: <b id=\"overall\">")
        .append(escape(record.scores().overall().cell()))
        .append("</b>. Settings: ")
        .append(escape(String.valueOf(record.settings())))
        .append(".</p>\n<label><input type=\"checkbox\" id=\"only-wrong\"> only wrong answers")
        .append("</label> <span id=\"shown\"></span>\n</header>\n<main>\n");
  }

  private static void scoreTable(StringBuilder html, RunRecord record) {
    html.append("<table class=\"scores\">\n<thead><tr><th>dataset</th><th>meta-task</th>")
        .append("<th>P@1</th><th>correct / n</th></tr></thead>\n<tbody>\n");
    for (DatasetScore s : record.scores().datasets()) {
      html.append("<tr><td><a href=\"#")
          .append(escape(s.name()))
          .append("\">")
          .append(escape(s.name()))
          .append("</a></td><td>")
          .append(escape(s.metaTask().label()))
          .append("</td><td>")
          .append(s.scored() ? String.format(Locale.ROOT, "%.1f", s.precisionAt1()) : "–")
          .append("</td><td>")
          .append(s.correct())
          .append(" / ")
          .append(s.rows())
          .append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  private static void query(StringBuilder html, Prediction p, EvalRow row, Thumbnails thumbnails) {
    html.append("<article class=\"query ")
        .append(p.correct() ? "right" : "wrong")
        .append("\" data-row=\"")
        .append(p.row())
        .append("\">\n<div class=\"q\">");
    if (row != null && row.qryImagePath() != null && !row.qryImagePath().isEmpty()) {
      html.append(thumbnails.img(row.qryImagePath()));
    }
    html.append("<p class=\"text\">")
        .append(escape(row == null ? "(row " + p.row() + " not found)" : row.qryText()))
        .append("</p><p class=\"rationale\">")
        .append(p.rationale().isBlank() ? "<i>no rationale</i>" : escape(p.rationale().strip()))
        .append(p.embAppended() ? " <i>(token limit)</i>" : "")
        .append("</p><p class=\"verdict\">")
        .append(p.correct() ? "✓ right" : "✗ wrong")
        .append(p.tie() ? " (tie)" : "")
        .append("</p></div>\n<table class=\"candidates\">\n");
    for (int rank = 0; rank < p.top().size(); rank++) {
      Prediction.Ranked c = p.top().get(rank);
      html.append("<tr class=\"")
          .append(c.index() == 0 ? "positive" : "negative")
          .append("\"><td>")
          .append(rank + 1)
          .append("</td><td>");
      if (row != null && c.index() < row.candidateTexts().size()) {
        String image = row.candidateImagePaths().get(c.index());
        if (image != null && !image.isEmpty()) {
          html.append(thumbnails.img(image));
        }
        html.append(escape(row.candidateTexts().get(c.index())));
      } else {
        html.append("candidate ").append(c.index());
      }
      html.append(c.index() == 0 ? " <b>← correct</b>" : "")
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.3f", c.score()))
          .append("</td></tr>\n");
    }
    html.append("</table>\n</article>\n");
  }

  /** The rows of {@code dataset} that the sample shows, by row index. */
  private static Map<Long, EvalRow> rows(Path root, String dataset, List<Prediction> sample) {
    long last = sample.stream().mapToLong(Prediction::row).max().orElse(-1);
    Map<Long, EvalRow> wanted = new HashMap<>();
    sample.forEach(p -> wanted.put(p.row(), null));
    try (RowStream<EvalRow> rows =
        MmebEvalReader.openDataset(root, dataset, ReadOptions.defaults())) {
      while (rows.hasNext()) {
        EvalRow row = rows.next();
        if (wanted.containsKey(row.row())) {
          wanted.put(row.row(), row);
        }
        if (row.row() >= last) {
          break;
        }
      }
    }
    return wanted;
  }

  /** Small PNG data URIs of the rows' images, each made once. */
  private static final class Thumbnails {
    private final ImageStore images;
    private final Map<String, String> made = new HashMap<>();

    Thumbnails(ImageStore images) {
      this.images = images;
    }

    String img(String path) {
      return made.computeIfAbsent(path, this::make);
    }

    private String make(String path) {
      if (images == null || !images.contains(path)) {
        return "<span class=\"missing\">(image " + escape(path) + " missing)</span>";
      }
      BufferedImage source = images.load(path);
      double scale =
          Math.min(1.0, (double) THUMBNAIL / Math.max(source.getWidth(), source.getHeight()));
      int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
      int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
      BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = small.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, 0, 0, w, h, null);
      g.dispose();
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      try {
        ImageIO.write(small, "png", png);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return "<img alt=\""
          + escape(path)
          + "\" src=\"data:image/png;base64,"
          + Base64.getEncoder().encodeToString(png.toByteArray())
          + "\">";
    }
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String STYLE =
      """
      <style>
      body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
      table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
      td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: middle; }
      th { background: #f0f0f0; }
      article.query { display: flex; gap: 1.5em; border-top: 1px solid #ddd; padding: 0.6em 0; }
      article.query .q { width: 28em; }
      article.wrong .verdict { color: #b00020; font-weight: bold; }
      article.right .verdict { color: #1b7e2c; }
      .rationale { font-style: italic; color: #444; }
      tr.positive { background: #e6f4ea; }
      img { max-width: 96px; max-height: 96px; display: block; margin: 0.2em 0; }
      body.only-wrong article.right { display: none; }
      .missing { color: #b00020; }
      </style>
      """;

  private static final String SCRIPT =
      """
      <script>
      (function () {
        var box = document.getElementById('only-wrong');
        function update() {
          document.body.classList.toggle('only-wrong', box.checked);
          var all = document.querySelectorAll('article.query').length;
          var shown = box.checked ? document.querySelectorAll('article.wrong').length : all;
          document.getElementById('shown').textContent = shown + ' of ' + all + ' queries shown';
        }
        box.addEventListener('change', update);
        update();
      })();
      </script>
      """;
}

package io.rge.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.eval.score.Aggregate;
import io.rge.eval.score.DatasetScore;
import io.rge.eval.score.Scores;
import java.util.Map;

/**
 * {@code scores.json}: per dataset Precision@1 with its counts, per meta-task, IND, OOD and overall
 * with how many datasets each averages, the settings, the model fingerprint and provenance. Scores
 * are Precision@1 x 100 at full precision; {@code null} where nothing was scored.
 */
public final class ScoresJson {
  /** Identifies the file's layout. */
  public static final String FORMAT = "rge-eval-scores";

  public static final int VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ScoresJson() {}

  public static byte[] render(RunRecord run) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode model = root.putObject("model");
    model.put("label", run.modelLabel());
    model.put("fingerprint", run.modelFingerprint());
    ObjectNode data = root.putObject("data");
    data.put("name", run.dataName());
    data.put("root", run.dataRoot());
    data.put("images", run.images());
    data.put("registry", run.scores().registry());
    ObjectNode prompts = root.putObject("prompts");
    prompts.put("name", run.prompts().name());
    prompts.put("id", run.prompts().id());
    prompts.put("description", run.prompts().description());
    prompts.put("source", run.prompts().source());
    root.set("settings", JSON.valueToTree(run.settings()));

    Scores scores = run.scores();
    ObjectNode datasets = root.putObject("datasets");
    for (DatasetScore s : scores.datasets()) {
      ObjectNode d = datasets.putObject(s.name());
      d.put("meta_task", s.metaTask().label());
      d.put("distribution", s.distribution().name());
      putScore(d, "precision_at_1", s.scored() ? s.precisionAt1() : null);
      d.put("n", s.rows());
      d.put("correct", s.correct());
      d.put("ties", s.ties());
      d.put("skipped_rows", s.skippedRows());
      d.put("missing_images", s.missingImages());
      DatasetRunInfo info = run.datasets().get(s.name());
      if (info != null) {
        d.put("rows_read", info.rowsRead());
        ObjectNode q = d.putObject("queries");
        q.put("unique", info.uniqueQueries());
        q.put("embedded", info.queriesEmbedded());
        q.put("cached", info.queriesCached());
        q.put("emb_appended", info.embAppended());
        ObjectNode c = d.putObject("candidates");
        c.put("unique", info.uniqueCandidates());
        c.put("embedded", info.candidatesEmbedded());
        c.put("cached", info.candidatesCached());
        d.put("seconds", info.seconds());
        d.put("data_fingerprint", info.dataFingerprint());
      }
    }
    ObjectNode missing = root.putObject("missing");
    for (Map.Entry<String, String> e : scores.missing().entrySet()) {
      missing.put(e.getKey(), e.getValue());
    }
    ObjectNode tasks = root.putObject("meta_tasks");
    scores.metaTasks().forEach((task, agg) -> tasks.set(task.label(), aggregate(agg)));
    root.set("ind", aggregate(scores.ind()));
    root.set("ood", aggregate(scores.ood()));
    root.set("overall", aggregate(scores.overall()));
    root.put("distribution_note", scores.distributionNote());

    EvalProvenance p = run.provenance();
    // The run's Provenance at the top of the object, with the fields a checkpoint records.
    ObjectNode prov = root.putObject("provenance");
    prov.setAll((ObjectNode) JSON.valueToTree(p.provenance()));
    prov.put("images", p.images());
    prov.put("started", p.started().toString());
    prov.put("finished", p.finished().toString());
    prov.put("seconds", p.seconds());
    ObjectNode fingerprints = prov.putObject("data_fingerprints");
    run.datasets().forEach((name, info) -> fingerprints.put(name, info.dataFingerprint()));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render scores.json", e);
    }
  }

  /**
   * An aggregate as scores.json writes it (also the MMEB-V2 section's, {@link MmebV2ScoresJson}).
   */
  static ObjectNode aggregate(Aggregate a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("applicable", a.applicable());
    putScore(n, "score", a.value());
    n.put("present", a.present());
    n.put("expected", a.expected());
    ArrayNode missing = n.putArray("missing");
    a.missing().forEach(missing::add);
    return n;
  }

  private static void putScore(ObjectNode node, String field, Double value) {
    if (value == null || value.isNaN()) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}

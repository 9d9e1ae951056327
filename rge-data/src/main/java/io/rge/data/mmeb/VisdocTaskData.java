package io.rge.data.mmeb;

import io.rge.data.RgeDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A visual-document retrieval task read from its BEIR folder, checked and ready to score: every
 * query is ranked against the whole corpus, and its relevant pages are its positive qrels.
 *
 * <p>Loading reads the queries and qrels whole (they are small) and only the ids of the corpus;
 * page images are streamed with {@link #openCorpus}, a few rows at a time, when they are embedded.
 *
 * @param task the task name (as errors name it)
 * @param files its parquet files
 * @param queries the queries that have at least one relevant page, in file order
 * @param qrels the judgements (score rule and de-duplication applied)
 * @param corpusSize pages in the corpus
 * @param queriesWithoutPositives queries left out because no qrel with a score above 0 names them
 *     (the reference fails on such a query; BEIR tools skip it)
 */
public record VisdocTaskData(
    String task,
    BeirFiles files,
    List<VisdocQuery> queries,
    Qrels qrels,
    long corpusSize,
    long queriesWithoutPositives) {
  /** Rows per JDBC fetch when streaming pages: each row carries an encoded page image. */
  public static final int CORPUS_BATCH = 16;

  public VisdocTaskData {
    queries = List.copyOf(queries);
  }

  /**
   * Reads and checks the task in {@code dir}.
   *
   * @param language keep only queries in this {@code language} (the reference's English-only
   *     ViDoRe-V2 variants), or null for all; the 24 leaderboard tasks use null
   * @throws RgeDataException naming the file and field when a table is malformed, a query id is
   *     repeated, a page id is repeated, or a qrel names a page the corpus lacks
   */
  public static VisdocTaskData load(String task, Path dir, String language) {
    BeirFiles files = BeirFiles.locate(dir);
    Qrels qrels = readQrels(task, files.qrels());
    Set<String> corpusIds = corpusIds(task, files.corpus());
    List<VisdocQuery> kept = new ArrayList<>();
    long withoutPositives = 0;
    Map<String, Path> seen = new HashMap<>();
    ReadOptions options = ReadOptions.defaults();
    try (RowStream<VisdocQuery> rows =
        new RowStream<>(files.queries(), new BeirQueryFormat(task), options)) {
      while (rows.hasNext()) {
        VisdocQuery query = rows.next();
        Path before = seen.putIfAbsent(query.id(), rows.currentFile());
        if (before != null) {
          throw new RgeDataException(
              rows.currentFile()
                  + ": query-id "
                  + query.id()
                  + " appears twice (first in "
                  + before
                  + "); query ids must be unique");
        }
        if (language != null && !language.equals(query.language())) {
          continue;
        }
        if (qrels.positives(query.id()).isEmpty()) {
          withoutPositives++;
          continue;
        }
        kept.add(query);
      }
    }
    for (VisdocQuery query : kept) {
      for (String page : qrels.positives(query.id()).keySet()) {
        if (!corpusIds.contains(page)) {
          throw new RgeDataException(
              files.qrels().get(0).getParent()
                  + ": corpus-id "
                  + page
                  + " (relevant to query-id "
                  + query.id()
                  + ") is not in the corpus "
                  + files.corpus().get(0).getParent());
        }
      }
    }
    return new VisdocTaskData(task, files, kept, qrels, corpusIds.size(), withoutPositives);
  }

  /** Streams the corpus pages with their images, in file order; the caller closes it. */
  public RowStream<CorpusPage> openCorpus() {
    return new RowStream<>(
        files.corpus(),
        new BeirCorpusFormat(task, false),
        ReadOptions.defaults().withBatchSize(CORPUS_BATCH));
  }

  private static Qrels readQrels(String task, List<Path> files) {
    List<QrelRow> rows = new ArrayList<>();
    try (RowStream<QrelRow> stream =
        new RowStream<>(files, new BeirQrelFormat(task), ReadOptions.defaults())) {
      stream.forEachRemaining(rows::add);
    }
    return Qrels.of(rows);
  }

  private static Set<String> corpusIds(String task, List<Path> files) {
    Set<String> ids = new HashSet<>();
    try (RowStream<CorpusPage> stream =
        new RowStream<>(files, new BeirCorpusFormat(task, true), ReadOptions.defaults())) {
      while (stream.hasNext()) {
        String id = stream.next().id();
        if (!ids.add(id)) {
          throw new RgeDataException(
              stream.currentFile()
                  + ": corpus-id "
                  + id
                  + " appears twice; page ids must be unique");
        }
      }
    }
    return ids;
  }
}

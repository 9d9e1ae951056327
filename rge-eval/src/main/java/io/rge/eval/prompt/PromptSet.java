package io.rge.eval.prompt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rge.core.config.ConfigLoader;
import io.rge.core.prompt.QwenChatPrompts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The instructions queries and candidates are embedded with: MMEB's stored texts ({@link #mmeb()})
 * or rewrites read from a YAML file ({@link #load(Path)}).
 *
 * <p>How a dataset's rewrites apply to an MMEB text. The <em>instruction position</em> is the start
 * of the text, after a leading {@code <|image_1|>} and the whitespace following it (the placeholder
 * stays first, where MMEB puts the image).
 *
 * <ul>
 *   <li>Query: when the text at the instruction position starts with {@code query_replaces}, that
 *       prefix is replaced by {@code query_instruction}; otherwise (no {@code query_replaces}, or a
 *       text that does not start with it) {@code query_instruction} and a newline are inserted at
 *       the instruction position.
 *   <li>Candidate, in order: a text equal to a key of {@code candidate_values} becomes its value;
 *       then, when the text at the instruction position starts with {@code candidate_replaces},
 *       that prefix is replaced by {@code candidate_instruction}; then {@code candidate_prefix} is
 *       inserted at the instruction position.
 *   <li>With {@code trailing_newline: true}, every query and candidate text (of every dataset) ends
 *       with a newline.
 * </ul>
 *
 * <p>The {@link #id()} is the name plus a hash of the rewrites, so editing the file changes the
 * cache key and stale embeddings are never reused.
 */
public final class PromptSet {
  /** Name of the built-in set that keeps MMEB's texts. */
  public static final String MMEB = "mmeb";

  private static final String PLACEHOLDER = QwenChatPrompts.IMAGE_PLACEHOLDER;
  private static final PromptSet MMEB_SET =
      new PromptSet(
          MMEB, MMEB, "the instructions stored in MMEB's parquet files", false, Map.of(), null);

  private final String name;
  private final String id;
  private final String description;
  private final boolean trailingNewline;
  private final Map<String, DatasetPrompts> datasets;
  private final Path source;

  private PromptSet(
      String name,
      String id,
      String description,
      boolean trailingNewline,
      Map<String, DatasetPrompts> datasets,
      Path source) {
    this.name = name;
    this.id = id;
    this.description = description;
    this.trailingNewline = trailingNewline;
    this.datasets = datasets;
    this.source = source;
  }

  /** MMEB's own instructions, unchanged. */
  public static PromptSet mmeb() {
    return MMEB_SET;
  }

  /**
   * Reads a prompt file (see {@code configs/prompts-rge.yaml}); unknown keys and malformed entries
   * fail naming the file, line and key.
   */
  public static PromptSet load(Path file) {
    PromptFile f = ConfigLoader.load(file, PromptFile.class).config();
    if (f.name().equals(MMEB)) {
      throw new IllegalArgumentException(
          file + ": the name '" + MMEB + "' is reserved for MMEB's own instructions");
    }
    return new PromptSet(
        f.name(),
        f.name() + "-" + hash(f),
        f.description(),
        f.trailingNewline(),
        f.datasets(),
        file);
  }

  /** {@link #mmeb()} for "mmeb" (any case), else the file at that path. */
  public static PromptSet resolve(String nameOrFile, Path relativeTo) {
    if (nameOrFile.equalsIgnoreCase(MMEB)) {
      return mmeb();
    }
    Path p = Path.of(nameOrFile);
    return load(p.isAbsolute() || relativeTo == null ? p : relativeTo.resolve(p));
  }

  public String name() {
    return name;
  }

  /** The name plus a hash of the rewrites; "mmeb" for MMEB's own texts. */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** The file the set was read from. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  /** Whether the set rewrites any text of {@code dataset}. */
  public boolean rewrites(String dataset) {
    return trailingNewline || datasets.containsKey(dataset);
  }

  /**
   * Whether the set has a query instruction for {@code dataset} that names the MMEB instruction it
   * replaces, and {@code text} does not start with it (so the instruction is inserted instead): a
   * sign the file does not fit the data.
   */
  public boolean queryUnmatched(String dataset, String text) {
    DatasetPrompts p = datasets.get(dataset);
    return p != null
        && p.queryReplaces() != null
        && !text.startsWith(p.queryReplaces(), instructionPosition(text));
  }

  /** The query text to embed for an MMEB query text of {@code dataset}. */
  public String query(String dataset, String text) {
    DatasetPrompts p = datasets.get(dataset);
    String out = text;
    if (p != null && p.queryInstruction() != null) {
      out = replaceOrInsert(out, p.queryReplaces(), p.queryInstruction());
    }
    return finish(out);
  }

  /** The candidate text to embed for an MMEB candidate text of {@code dataset}. */
  public String candidate(String dataset, String text) {
    DatasetPrompts p = datasets.get(dataset);
    String out = text;
    if (p != null) {
      out = p.candidateValues().getOrDefault(out, out);
      if (p.candidateReplaces() != null) {
        int at = instructionPosition(out);
        if (out.startsWith(p.candidateReplaces(), at)) {
          out =
              out.substring(0, at)
                  + p.candidateInstruction()
                  + out.substring(at + p.candidateReplaces().length());
        }
      }
      if (p.candidatePrefix() != null && !p.candidatePrefix().isEmpty()) {
        int at = instructionPosition(out);
        out = out.substring(0, at) + p.candidatePrefix() + out.substring(at);
      }
    }
    return finish(out);
  }

  private String finish(String text) {
    return trailingNewline && !text.endsWith("\n") ? text + "\n" : text;
  }

  private static String replaceOrInsert(String text, String replaces, String instruction) {
    int at = instructionPosition(text);
    if (replaces != null && text.startsWith(replaces, at)) {
      return text.substring(0, at) + instruction + text.substring(at + replaces.length());
    }
    return text.substring(0, at) + instruction + "\n" + text.substring(at);
  }

  /** After a leading image placeholder and the whitespace that follows it; else 0. */
  static int instructionPosition(String text) {
    if (!text.startsWith(PLACEHOLDER)) {
      return 0;
    }
    int at = PLACEHOLDER.length();
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
    return at;
  }

  private static String hash(PromptFile f) {
    try {
      ObjectMapper json =
          new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
      // Only what changes texts: editing the description keeps the cached embeddings.
      Map<String, Object> rewrites =
          Map.of("trailing_newline", f.trailingNewline(), "datasets", f.datasets());
      byte[] canonical = json.writeValueAsString(rewrites).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash prompt set " + f.name(), e);
    }
  }

  @Override
  public String toString() {
    return id;
  }
}

package io.rge.training.rationales;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.data.RgeDataException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON Lines file that a run appends to and a later run resumes: each append writes whole lines
 * in one write and forces them to disk before returning, so a killed run leaves complete lines and
 * at most one torn last line. Opening reads back every complete line and cuts a torn last line off
 * (no final newline, or not a JSON object), so its row is redone. A bad line before the last one is
 * not a torn write but a damaged file, and opening fails naming it.
 */
final class AppendOnlyJsonl implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AppendOnlyJsonl.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final FileChannel channel;

  private AppendOnlyJsonl(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Opens {@code file} for appending (creating it and its folder when missing), first passing each
   * complete line's JSON object to {@code existing} in file order.
   *
   * @throws RgeDataException when a line other than the last is not a JSON object
   */
  static AppendOnlyJsonl open(Path file, Consumer<JsonNode> existing) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long intact = readIntactPrefix(file, channel, existing);
      if (intact < channel.size()) {
        LOG.warn(
            "{}: cut off a torn last line ({} bytes) left by an interrupted run; its row is redone",
            file,
            channel.size() - intact);
        channel.truncate(intact);
        channel.force(true);
      }
      channel.position(intact);
      return new AppendOnlyJsonl(file, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Bytes of the file that end in complete, valid lines; valid lines go to {@code existing}. */
  private static long readIntactPrefix(Path file, FileChannel channel, Consumer<JsonNode> existing)
      throws IOException {
    channel.position(0);
    InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long offset = 0;
    long intact = 0;
    long lineNumber = 0;
    long badLine = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      offset++;
      if (b != '\n') {
        line.write(b);
        continue;
      }
      lineNumber++;
      if (badLine > 0) {
        throw new RgeDataException(
            file
                + ", line "
                + badLine
                + ": not a JSON object, and more lines follow it: the file is damaged, not torn"
                + " by an interrupted run (remove the line to resume)");
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      JsonNode node = text.isBlank() ? null : parse(text);
      if (node != null) {
        existing.accept(node);
      } else if (!text.isBlank()) {
        badLine = lineNumber;
        continue;
      }
      intact = offset;
    }
    return intact;
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Appends one line per object, all in one write, and forces them to disk. */
  void append(List<?> rows) throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    for (Object row : rows) {
      text.append(JSON.writeValueAsString(row)).append('\n');
    }
    ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    channel.force(false);
  }

  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

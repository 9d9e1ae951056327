package io.rge.cli.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Code blocks of the project's README.md marked with an HTML comment {@code <!-- snippet: NAME -->}
 * on the line before the opening fence, so tests run exactly what the README shows.
 */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  static Path readme() {
    // Tests run in the module folder; the README is at the repository root.
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("rge-core"))) {
        return p.resolve("README.md");
      }
    }
    throw new IllegalStateException("README.md not found above " + here);
  }

  /** The lines of the code block marked {@code name}, without the fences. */
  static List<String> block(String name) throws IOException {
    List<String> lines = Files.readAllLines(readme());
    String marker = "<!-- snippet: " + name + " -->";
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
          throw new IllegalStateException("README: '" + marker + "' is not followed by a fence");
        }
        List<String> block = new ArrayList<>();
        for (int j = i + 2; j < lines.size(); j++) {
          if (lines.get(j).startsWith("```")) {
            return block;
          }
          block.add(lines.get(j));
        }
        throw new IllegalStateException("README: snippet '" + name + "' is not closed");
      }
    }
    throw new IllegalStateException("README has no snippet '" + name + "'");
  }

  /** Replaces the lines of the code block marked {@code name} (for regenerating shown output). */
  static void replaceBlock(String name, List<String> content) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(readme()));
    int start = lines.indexOf("<!-- snippet: " + name + " -->") + 2;
    int end = start + block(name).size();
    lines.subList(start, end).clear();
    lines.addAll(start, content);
    Files.write(readme(), lines);
  }
}

package io.rge.data.mmebv2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisdocFoldersTest {
  @TempDir Path root;

  private static Path beir(Path dir) throws IOException {
    for (String table : new String[] {"corpus", "queries", "qrels"}) {
      Files.createDirectories(dir.resolve(table));
    }
    return dir;
  }

  @Test
  void findsTheMmebV2FolderFirstThenTheHuggingFaceLayout() throws IOException {
    MmebV2Task esg = MmebV2Tasks.all().get("ViDoRe_esg_reports_v2_multilingual");
    Path hf = beir(root.resolve("ViDoRe_esg_reports_v2_multilingual"));
    assertEquals(hf, VisdocFolders.resolve(root, esg));
    Path mmeb = beir(root.resolve("visdoc-tasks/esg_reports_v2_multilingual"));
    assertEquals(mmeb, VisdocFolders.resolve(root, esg));
  }

  @Test
  void aMissingTaskNamesEveryPlaceLookedAt() throws IOException {
    MmebV2Task task = MmebV2Tasks.all().get("VisRAG_ChartQA");
    Files.createDirectories(root.resolve("VisRAG_ChartQA/corpus"));
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> VisdocFolders.resolve(root, task));
    assertTrue(e.getMessage().startsWith("VisRAG_ChartQA: "), e.getMessage());
    assertTrue(e.getMessage().contains(root.resolve("VisRAG_ChartQA").toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains(root.resolve("visdoc-tasks/VisRAG_ChartQA").toString()),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> VisdocFolders.resolve(root, MmebV2Tasks.all().get("K700")));
  }
}

package io.rge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tokenizer whose ids go past {@code config.json}'s {@code vocab_size} (512 in the tiny fixture)
 * is refused before the embedding grows to fit it (an id of 2·10^7 used to cost 14 s and 6 GB, one
 * of 2·10^9 overflowed an int), naming the file, the token and its id; only {@code <emb>} may take
 * id 512, the one row the loader adds (RgeModelTest grows such a vocabulary).
 */
class TokenizerVocabularyBoundTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} at id {1}")
  @CsvSource({"<emb>, 20000000", "<emb>, 2000000000", "<emb>, 513", "<extra>, 512"})
  void idsPastTheVocabularyAreRefusedBeforeAllocating(String token, long id) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path tiny = RgeModelTest.tinyDir();
    for (String name :
        new String[] {"config.json", "preprocessor_config.json", "model.safetensors"}) {
      Files.copy(tiny.resolve(name), dir.resolve(name));
    }
    ObjectNode tokenizer = (ObjectNode) json.readTree(tiny.resolve("tokenizer.json").toFile());
    ArrayNode added = (ArrayNode) tokenizer.get("added_tokens");
    if (token.equals("<emb>")) {
      for (int i = 0; i < added.size(); i++) {
        if (added.get(i).get("content").asText().equals("<emb>")) {
          ((ObjectNode) added.get(i)).put("id", id);
        }
      }
    } else {
      ObjectNode extra = ((ObjectNode) added.get(added.size() - 1)).deepCopy();
      extra.put("content", token);
      extra.put("id", id);
      added.add(extra);
    }
    Path file = dir.resolve("tokenizer.json");
    json.writeValue(file.toFile(), tokenizer);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RgeModel.load(dir, DeviceChoice.CPU));
    assertEquals(
        file
            + ": token '"
            + token
            + "' has id "
            + id
            + ", beyond the model's vocabulary ("
            + dir.resolve("config.json")
            + ": vocab_size 512); ids must be below vocab_size (only <emb> may take id 512): use"
            + " the tokenizer of this model",
        e.getMessage());
  }
}

package io.rge.core;

import io.rge.core.generation.GenerationRequest;
import io.rge.core.image.ProcessedImage;
import java.util.List;

/**
 * An input made ready for the model without it: its prompt tokenised and its image resized and cut
 * into patches. Evaluation prepares inputs on a background thread, ahead of the model, so that the
 * model never waits for the CPU work of the next batch.
 *
 * @param source the input (its image dropped once processed: the pixels below replace it)
 * @param promptIds the prompt's token ids; null for an embedder that works on {@code source} alone
 * @param image the processed image, or null without one
 * @param forGeneration true when the prompt ends where the rationale starts (a reasoning query),
 *     false when it ends in {@code <emb>} (a candidate, or a query embedded without reasoning)
 */
public record PreparedInput(
    MultimodalInput source, int[] promptIds, ProcessedImage image, boolean forGeneration) {
  public PreparedInput {
    if (source == null) {
      throw new IllegalArgumentException("source is required");
    }
    promptIds = promptIds == null ? null : promptIds.clone();
  }

  /** An input left as it is, for embedders that do their own preparation (or need none). */
  public static PreparedInput unprocessed(MultimodalInput source, boolean forGeneration) {
    return new PreparedInput(source, null, null, forGeneration);
  }

  /** A prepared reasoning query as a prompt to continue: its ids and its image, if any. */
  public GenerationRequest generationRequest() {
    if (!forGeneration || promptIds == null) {
      throw new IllegalStateException("input was not prepared for generation");
    }
    return new GenerationRequest(promptIds, image == null ? List.of() : List.of(image));
  }

  /** The source's prompt text as it was with its image (whose pixels {@code image} now holds). */
  public String promptText() {
    return MultimodalInput.promptText(source.text(), image != null);
  }

  @Override
  public int[] promptIds() {
    return promptIds == null ? null : promptIds.clone();
  }
}

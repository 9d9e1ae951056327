package io.rge.core;

import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.image.QwenImageProcessor;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.prompt.QwenChatPrompts;
import java.util.List;

/**
 * Turns inputs into what the model reads, without the model: the image resized and cut into
 * patches, the prompt tokenised. One implementation for embedding, evaluation and training.
 */
final class InputPreparation {
  private final QwenChatPrompts prompts;
  private final QwenImageProcessor imageProcessor;

  InputPreparation(QwenChatPrompts prompts, QwenImageProcessor imageProcessor) {
    this.prompts = prompts;
    this.imageProcessor = imageProcessor;
  }

  /**
   * The generation prompt with reasoning, the candidate prompt (ending in {@code <emb>}) without.
   */
  PreparedInput query(MultimodalInput query, boolean reasoning) {
    if (!reasoning) {
      return candidate(query);
    }
    ProcessedImage image = process(query);
    PromptTokens prompt = prompts.queryForGeneration(query.promptText(), grid(image));
    return new PreparedInput(MultimodalInput.text(query.text()), prompt.ids(), image, true);
  }

  PreparedInput candidate(MultimodalInput candidate) {
    ProcessedImage image = process(candidate);
    PromptTokens prompt = prompts.candidate(candidate.promptText(), grid(image));
    return new PreparedInput(MultimodalInput.text(candidate.text()), prompt.ids(), image, false);
  }

  /** A prepared reasoning query followed by {@code rationale} and {@code <emb>}, labelled. */
  PromptTokens withRationale(PreparedInput query, String rationale) {
    requirePrepared(List.of(query), true);
    return prompts.queryWithRationale(query.promptText(), grid(query.image()), rationale);
  }

  /** Inputs prepared by a model's tokenizer for the prompt {@code generation} calls for. */
  static void requirePrepared(List<PreparedInput> inputs, boolean generation) {
    for (PreparedInput in : inputs) {
      if (in.promptIds() == null || in.forGeneration() != generation) {
        throw new IllegalArgumentException(
            "input \""
                + in.source().text()
                + "\" was not prepared "
                + (generation ? "for generation (prepareQuery with reasoning)" : "for embedding"));
      }
    }
  }

  private ProcessedImage process(MultimodalInput in) {
    return in.image() == null ? null : imageProcessor.process(in.image());
  }

  private static ImageGrid grid(ProcessedImage image) {
    return image == null ? null : image.grid();
  }
}

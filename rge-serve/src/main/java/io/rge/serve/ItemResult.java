package io.rge.serve;

/**
 * One embedded item.
 *
 * @param vector the L2-normalised embedding
 * @param rationale the generated rationale, null for an item embedded without reasoning
 * @param promptTokens the prompt's tokens
 * @param generatedTokens the rationale's tokens with the final {@code <emb>} (0 without reasoning)
 */
record ItemResult(float[] vector, String rationale, int promptTokens, int generatedTokens) {}

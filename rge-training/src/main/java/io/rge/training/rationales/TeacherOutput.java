package io.rge.training.rationales;

/**
 * What the teacher wrote for one prompt.
 *
 * @param text the decoded answer, up to (not including) the stop token
 * @param tokens tokens generated, the stop token included when the teacher wrote it
 * @param reachedLimit true when generation stopped at the token limit instead of the stop token
 */
public record TeacherOutput(String text, int tokens, boolean reachedLimit) {}

package io.rge.core.generation;

/** One prompt of a {@link GenerationSource} and where its result goes. */
public interface GenerationJob {
  GenerationRequest request();

  /**
   * True once nobody waits for the result (a client went away): the row leaves the batch before the
   * next step, freeing its slot.
   */
  default boolean cancelled() {
    return false;
  }

  /** The generated rationale and its embedding; called once, on the generation thread. */
  void complete(GeneratedQuery result);

  /** The generation failed while this job was admitted or live; the loop then ends with it. */
  default void fail(RuntimeException error) {}
}

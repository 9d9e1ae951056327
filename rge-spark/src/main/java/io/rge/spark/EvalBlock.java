package io.rge.spark;

import io.rge.eval.EvalItem;
import io.rge.eval.cache.Side;
import java.io.Serializable;
import java.util.List;

/**
 * One shard of an evaluation's embedding work: consecutive items of one dataset side, a whole
 * number of batches, so that its batches are those the single-machine evaluation embeds.
 *
 * @param pending the index of its dataset side in the work list
 * @param first the index of its first item in that side's list
 * @param side queries or candidates
 * @param label the dataset side, for errors
 * @param items its items, in embedding order
 */
record EvalBlock(int pending, int first, Side side, String label, List<EvalItem> items)
    implements Serializable {}

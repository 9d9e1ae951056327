/**
 * Training mixtures: subsets with caps and weights, deterministic shuffling from one seed,
 * fixed-size batches and a saveable position so a resumed run sees exactly the batches it would
 * have seen.
 */
package io.rge.data.mixture;

/**
 * RGE-Synth: a synthetic reasoning dataset of coloured shapes and made-up colour transforms,
 * written in the MMEB-train and MMEB-eval formats (parquet, PNG, rationale JSONL) so the same
 * readers load it. Evaluation uses (transform, colour) compositions never seen in training, where
 * one-pass embedding cannot memorise the answer but a model that reasons "see the colour, then
 * apply the fact" can.
 */
package io.rge.data.synth;

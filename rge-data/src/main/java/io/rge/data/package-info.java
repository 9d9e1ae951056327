/**
 * Data for RGE: MMEB-train and MMEB-eval parquet readers ({@link io.rge.data.mmeb}), image stores
 * over folders and zip archives ({@link io.rge.data.images}), oracle rationales ({@link
 * io.rge.data.rationale}), the 36-dataset MMEB registry ({@link io.rge.data.registry}), training
 * mixtures ({@link io.rge.data.mixture}), the RGE-Synth generator ({@link io.rge.data.synth}) and
 * the {@code rge data} commands ({@link io.rge.data.cli}). Nothing here depends on DJL.
 */
package io.rge.data;

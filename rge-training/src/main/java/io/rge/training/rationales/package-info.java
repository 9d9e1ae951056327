/**
 * Oracle-rationale curation ({@code rge rationales}): a teacher model (any Qwen2.5-VL-family
 * checkpoint) is shown each MMEB-train query with its positive target and asked why the target
 * answers the query; its answers, filtered for quality, become the {@code <Subset>.jsonl} files
 * that training's LM term reads ({@link io.rge.data.rationale.OracleRationaleStore}).
 */
package io.rge.training.rationales;

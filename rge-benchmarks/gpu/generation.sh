#!/usr/bin/env bash
# Issue 13's GPU measurements (waits for a GPU). Here, in the project root: ../shared/gpu/pack, and
# copy the 3B shape beside it:
#   cp rge-core/src/test/resources/fixtures/configs/qwen2.5-vl-3b-instruct.json .gpu/
# There, in one run (the device tool's $OUT comes back):
#   bash rge-benchmarks/gpu/generation.sh
# Note: bf16 needs the precision work of the core-internals branch; on this branch alone the model
# runs in fp32 (state it beside the numbers).
set -euo pipefail
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
nvidia-smi -L | tee "$OUT/gpu.txt"
bash .gpu/run-java -Xmx96g io.rge.benchmarks.GenerationBench \
  --shape .gpu/qwen2.5-vl-3b-instruct.json --device gpu 2>&1 | tee "$OUT/generation.txt"
# The reference, same machine, same run: transformers' greedy generation at batch 1 and 32.
python3 .gpu/anchor_hf.py "$OUT" 2>&1 | tail -20 | tee "$OUT/anchor.txt"

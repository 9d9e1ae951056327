#!/usr/bin/env bash
# Issue 13's GPU measurements (waits for a GPU). Here, in the project root: ../shared/gpu/pack, and
# copy the 3B shape beside it:
#   cp rge-test-fixtures/src/main/resources/fixtures/configs/qwen2.5-vl-3b-instruct.json .gpu/
# There, in one run (the device tool's $OUT comes back):
#   bash rge-benchmarks/gpu/generation.sh
# Reports, for a random-weight Qwen2.5-VL-3B shape in bf16 (fp32 if bf16 is refused: the line
# "model ... on gpu(0), <precision>" says which): greedy generation of 64 forced tokens after
# 64-token prompts at batch 32 and 1 (anchor_hf.py's call; its figures are in anchor.txt, same
# machine, same run); the mixed reasoning workload (256 prompts, 64 slots, 8-128 tokens uniform and
# log-uniform) with continuous vs static batching and the shared prefix on vs off, in tokens/s; and
# the projected full-MMEB time (36 datasets x 1,000 queries with reasoning, 128-token limit, plus
# 36 x 1,000 distinct candidates; how they are counted: AtScale's javadoc) for each length
# distribution and for every rationale at the limit.
set -uo pipefail
OUT=${OUT:-gpu-out}
mkdir -p "$OUT"
nvidia-smi -L | tee "$OUT/gpu.txt"
bench() {
  bash .gpu/run-java -Xmx96g io.rge.benchmarks.GenerationBench \
    --shape .gpu/qwen2.5-vl-3b-instruct.json --device gpu --precision "$1" 2>&1 |
    tee "$OUT/generation-$1.txt"
}
bench bf16 || bench fp32
# The reference, same machine, same run: transformers' greedy generation at batch 1 and 32.
python3 .gpu/anchor_hf.py "$OUT" 2>&1 | tail -20 | tee "$OUT/anchor.txt"

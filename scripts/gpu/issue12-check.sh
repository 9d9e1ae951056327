#!/usr/bin/env bash
# Issue #12, point 6, on the GPU machine (see ../shared/gpu/README.md; `pack` first, here). From the
# project root: bash scripts/gpu/issue12-check.sh   (writes under $OUT, or /tmp/issue12 without it)
#  1. PEFT parity: the Java code writes the tiny fixture's base, a DoRA and a LoRA adapter and its
#     logits; PEFT loads each adapter on transformers and must give the same logits (1e-4).
#  2. DoRA on a frozen half-precision base (point 3): the tiny preset trains 10 steps on RGE-Synth
#     in bf16 and in fp16 (base stored in the half type only, adapters and <emb> row fp32); the log
#     lines and summaries go to $OUT/dora-*.txt.
#  3. The 3B-shaped DoRA + GradCache step: io.rge.benchmarks.AdapterTrainBench on a random-weight
#     model of Qwen2.5-VL-3B's shape, bf16 base, step of 256 synthetic text rows in micro-batches
#     of 32 (one InfoNCE over the step), 32-token generated rationales, 1 warm-up + 3 steps:
#     seconds per step, generation share, peak device memory; nvidia-smi's memory.used is sampled
#     alongside (a second view of the peak). Output: $OUT/dora-3b.txt.
set -uo pipefail
out=${OUT:-/tmp/issue12}
mkdir -p "$out"
fixture=$(ls -d rge-test-fixtures/src/main/resources/fixtures/qwen25vl-tiny | head -n 1)
nvidia-smi -L
status=0
for type in dora lora; do
  bash .gpu/run-java io.rge.benchmarks.AdapterExportCheck "$fixture" "$out/$type" "$type" \
    2>&1 | tail -n 2 | tee "$out/export-$type.txt"
  python3 scripts/gpu/peft_check.py "$out/$type" 2>&1 | tail -n 4 | tee "$out/peft-$type.txt" \
    || status=1
done
java_run=${RUN_JAVA:-bash .gpu/run-java}
$java_run io.rge.cli.RgeCli data synth --out "$out/synth" --size tiny --no-progress --force \
  2>&1 | tail -n 1
synth=$(cd "$out/synth" && pwd)
out_abs=$(cd "$out" && pwd)
for precision in bf16 fp16; do
  $java_run io.rge.cli.RgeCli train --config configs/train-tiny-synth.yaml --fresh \
    --device "${DEVICE:-gpu}" --precision "$precision" \
    --set "adapters={type: dora, r: 8, alpha: 32, dropout: 0.1}" \
    --set "data.train_root=$synth/train" --set "data.rationales=$synth/rationales" \
    --set "data.images=[$synth/images]" --set "output=$out_abs/dora-$precision" \
    --set "schedule.total_steps=10" --set "schedule.warmup_steps=2" \
    --set "objective.lm_warmup_steps=5" --set "logging.progress_bar=false" --set "logging.every=5" \
    2>&1 | tee "$out/dora-$precision.txt" | grep -E 'step [0-9]+/|loss scale|trained|error' \
    | tail -n 4 || status=1
done
config3b=rge-test-fixtures/src/main/resources/fixtures/configs/qwen2.5-vl-3b-instruct.json
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 \
  >"$out/dora-3b-smi.txt" 2>/dev/null &
smi=$!
$java_run io.rge.benchmarks.AdapterTrainBench "$config3b" "${DEVICE:-gpu}" bf16 256 32 3 32 \
  >"$out/dora-3b.txt" 2>&1 || status=1
kill "$smi" 2>/dev/null
wait "$smi" 2>/dev/null
echo "nvidia-smi peak memory.used during the 3B bench: $(sort -n "$out/dora-3b-smi.txt" \
  | tail -n 1) MiB" >>"$out/dora-3b.txt"
grep -E '^(model|warm-up step|step [0-9]|seconds per|generation share|peak memory|nvidia-smi)|rror' \
  "$out/dora-3b.txt" | tail -n 12
exit $status

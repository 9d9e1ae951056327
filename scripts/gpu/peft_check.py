"""Issue #12, point 6: PEFT loads the adapter the Java code wrote and gives the same logits.

Usage (GPU machine, after AdapterExportCheck wrote OUT): python3 scripts/gpu/peft_check.py OUT
Loads OUT/base with transformers (fp32), OUT/adapter with PeftModel.from_pretrained, runs the
sequence of OUT/java_logits.safetensors and compares logits: max |diff| / max |logit| <= 1e-4.
Prints one line per check and exits non-zero on a mismatch.
"""

import json
import sys

import torch
from peft import PeftModel
from safetensors.torch import load_file
from transformers import Qwen2_5_VLForConditionalGeneration

out = sys.argv[1]
device = "cuda" if torch.cuda.is_available() else "cpu"
reference = load_file(f"{out}/java_logits.safetensors")
base = Qwen2_5_VLForConditionalGeneration.from_pretrained(f"{out}/base", dtype=torch.float32)
base.to(device).eval()
ids = reference["input_ids"].to(device)
with torch.no_grad():
    base_logits = base(input_ids=ids).logits[0].float().cpu()
model = PeftModel.from_pretrained(base, f"{out}/adapter").to(device).eval()
config = json.load(open(f"{out}/adapter/adapter_config.json"))
loaded = {n for n, _ in model.named_parameters() if "lora_" in n or "trainable_tokens" in n}
print(f"peft loaded {len(loaded)} adapter tensors (use_dora={config['use_dora']})")
with torch.no_grad():
    logits = model(input_ids=ids).logits[0].float().cpu()
java = reference["logits"].reshape(logits.shape)
scale = java.abs().max().item()
diff = (logits - java).abs().max().item()
moved = (base_logits - java).abs().max().item()
print(f"logits: max |peft - java| = {diff:.3e} (rel {diff / scale:.3e}); base vs java {moved:.3e}")
ok = diff <= 1e-4 * max(scale, 1.0) and moved > 1e-3
print("PEFT CHECK " + ("PASSED" if ok else "FAILED"))
sys.exit(0 if ok else 1)

/**
 * Reading and writing the safetensors format in Java: memory-mapped, fully validated against
 * corrupt or hostile files, files beyond 2 GiB, F32 / F16 / BF16 / F64 converted to fp32 or fp16
 * without ever handing a bf16 array to DJL, sharded checkpoints through {@code
 * model.safetensors.index.json}, and a refusal of pickled PyTorch checkpoints.
 *
 * <p>Entry points: {@link io.rge.core.safetensors.SafetensorsFile}, {@link
 * io.rge.core.safetensors.CheckpointFiles}, {@link io.rge.core.safetensors.SafetensorsWriter}.
 */
package io.rge.core.safetensors;

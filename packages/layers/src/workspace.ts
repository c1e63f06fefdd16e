// Buffers a layer keeps from one training step to the next: its activations and gradients are
// written into the same storage every step (the ops' `out` option) instead of new arrays. A new
// multi-megabyte array costs a page fault per 4 KiB on its first write — thousands per step for
// the textbook's model 1 — and garbage collection after it. Safe because during fit nothing
// outside the model holds these tensors: the next layer reads an activation within the same step,
// the optimizer applies a gradient before the next step starts. Predict and evaluate never use a
// workspace, so the tensors they return are the caller's to keep.

import { allocate, canShareMemory } from '@convoy/tensor';

export class Workspace {
  private readonly buffers = new Map<string, Float32Array>();

  /**
   * The buffer named `key`, of exactly `size` floats (a new one when the size changed, as with a
   * smaller last batch). On shared memory where the runtime has it, so pool workers can write it.
   */
  take(key: string, size: number): Float32Array {
    const current = this.buffers.get(key);
    if (current?.length === size) return current;
    const buffer = allocate('float32', size, { shared: canShareMemory() });
    this.buffers.set(key, buffer);
    return buffer;
  }
}

// Buffers a layer keeps from one batch to the next: its activations and gradients are written
// into the same storage every batch (the ops' `out` option) instead of new arrays. A new
// multi-megabyte array costs a page fault per 4 KiB on its first write — thousands per step for
// the textbook's model 1 — and garbage collection after it.
//
// The buffers belong to one run — a fit, evaluate or predict call — not to the layer, and live as
// long as it does. Safe because those calls let go of a batch's tensors before the next batch:
// the next layer reads an activation within the same step, the optimizer applies a gradient
// before the next step starts, evaluate reduces each output to a loss and a count, and predict
// copies each output into its result. Two calls running at once on one model each have their own.

import { allocate, canShareMemory } from '@convoy/tensor';

/** One layer's named buffers. */
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

/** The workspaces of one run, one per layer. */
export class RunBuffers {
  private readonly workspaces = new WeakMap<object, Workspace>();

  /** The workspace of `layer` in this run. */
  of(layer: object): Workspace {
    let workspace = this.workspaces.get(layer);
    if (!workspace) {
      workspace = new Workspace();
      this.workspaces.set(layer, workspace);
    }
    return workspace;
  }
}

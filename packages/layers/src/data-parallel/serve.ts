// The life of a replica on a worker thread: rebuild the model from its topology over the shared
// weights, then run the trainer's commands until it says stop. Errors abort every other replica
// (so none waits at a barrier for this one) and propagate to the platform, which hands them to
// the trainer.

import { inlineExecutor } from '@convoy/ops';
import { createOptimizer } from '@convoy/optim';
import { Tensor } from '@convoy/tensor';
import { Sequential } from '../sequential.js';
import { layersFromTopology } from '../topology.js';
import { Command, Control, ReplicaAborted } from './control.js';
import { triggerFault } from './faults.js';
import { planGradients } from './plan.js';
import { Replica } from './replica.js';
import type { ReplicaInit } from './threads.js';

/** A model like the trainer's, whose weights are the trainer's shared weights. */
export function replicaModel(init: ReplicaInit): Sequential {
  const { name, layers } = layersFromTopology(init.topology);
  const model = new Sequential(layers, { name, seed: init.seed });
  if (!model.built) model.build(init.memory.train.xShape);
  model.compile({ optimizer: init.optimizer, loss: init.loss, metrics: init.metrics });
  const weights = model.weights;
  if (weights.length !== init.memory.weights.length) {
    throw new Error(
      `replica ${init.index}: the topology makes ${weights.length} weights, the trainer shared ${init.memory.weights.length}`,
    );
  }
  weights.forEach((weight, i) => {
    weight.value = new Tensor(init.memory.weights[i]!, weight.value.shape, 'float32');
  });
  return model;
}

/**
 * Runs commands until `stop`; resolves then, or when another replica aborted the run. `exit`
 * ends this thread abruptly (for fault injection).
 */
export async function serveReplica(init: ReplicaInit, exit: () => void): Promise<void> {
  const control = new Control(init.memory.control, init.replicas);
  let replica: Replica;
  try {
    const model = replicaModel(init);
    replica = new Replica({
      model,
      plan: planGradients(model, init.replicas, init.memory.losses.length),
      memory: init.memory,
      rendezvous: {
        phase: () => control.phaseBarrier(),
        collective: (participants) => control.collectiveBarrier(participants),
      },
      executor: inlineExecutor(),
      optimizer: createOptimizer(init.optimizer),
      index: init.index,
      replicas: init.replicas,
    });
  } catch (error) {
    control.abort(init.index + 1);
    throw error;
  }
  let seen = 0;
  for (;;) {
    try {
      seen = control.nextCommand(seen);
      const command = control.command;
      if (command === Command.stop) {
        control.finished();
        return;
      }
      if (command === Command.evaluate) {
        await replica.evaluate(control.argument(0), control.argument(1), control.argument(2));
        control.finished();
        continue;
      }
      if (command !== Command.step) {
        throw new Error(`replica ${init.index}: unknown command ${command}`);
      }
      const iteration = control.argument(2);
      triggerFault(init.fault, init.index, iteration, exit);
      const outcome = await replica.step({
        batchStart: control.argument(0),
        count: control.argument(1),
        iteration,
      });
      if (outcome !== 'updated') control.setStatus(1);
      control.finished();
    } catch (error) {
      if (error instanceof ReplicaAborted) return;
      control.abort(init.index + 1);
      throw error;
    }
  }
}

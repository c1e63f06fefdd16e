// convoy-train's run, start to finish: parse flags, load data, build or resume the model, print
// the summary, train epoch by epoch with Keras's progress lines, evaluate on the test set after
// each epoch, checkpoint, write the outputs, and turn --target-accuracy into the exit code.
// stdout carries the Keras transcript only; notes (data source, files written) go to stderr.

import { join } from 'node:path';
import { type Sequential, saveModel, WEIGHTS_FILE } from '@convoy/layers';
import { createPool, type Executor, inlineExecutor } from '@convoy/ops';
import { canShareMemory } from '@convoy/tensor';
import { checkpointPath, hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { EXIT_CODES, folderOptions, parseTrainArgs, type TrainOptions } from './cli.js';
import { describeTrainingData, loadTrainingData, type TrainingData } from './data.js';
import { checkModelFitsData } from './data-fit.js';
import { evaluateInBatches, type TestMetrics, yieldToEventLoop } from './evaluation.js';
import { type EpochRecord, HISTORY_CSV_FILE, HISTORY_JSON_FILE, writeHistory } from './history.js';
import { buildModel, describeModel } from './model.js';
import { CURVES_FILE, writeTrainingCurves } from './plot/write.js';
import {
  formatEpochHeader,
  type MetricValues,
  ProgressBar,
  type ProgressOutput,
} from './progress.js';

export interface TrainerIo {
  /** The Keras transcript: summary, epoch lines, evaluate line. A TTY gets live bars. */
  stdout: ProgressOutput;
  /** Notes and errors. */
  stderr: { write(text: string): unknown };
  /** Aborting it (reason 'SIGINT' or 'SIGTERM') stops after the current step and checkpoints. */
  interrupt?: AbortSignal;
}

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Runs convoy-train with the arguments after the command name; resolves to the exit code. */
export async function runTrainer(args: readonly string[], io: TrainerIo): Promise<number> {
  const parsed = parseTrainArgs(args);
  if (parsed.kind === 'exit') {
    io.stdout.write(parsed.stdout);
    io.stderr.write(parsed.stderr);
    return parsed.exitCode;
  }
  try {
    return await train(parsed.options, io);
  } catch (error) {
    io.stderr.write(`convoy-train: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.failed;
  }
}

function metricsOf(logs: { loss: number; accuracy?: number }): MetricValues {
  return logs.accuracy === undefined
    ? [['loss', logs.loss]]
    : [
        ['loss', logs.loss],
        ['accuracy', logs.accuracy],
      ];
}

async function writeOutputs(outDir: string, history: readonly EpochRecord[]): Promise<void> {
  await writeHistory(outDir, history);
  if (history.length > 0) await writeTrainingCurves(join(outDir, CURVES_FILE), history);
}

async function prepareModel(
  options: TrainOptions,
  note: (text: string) => void,
): Promise<{
  model: Sequential;
  description: string;
  history: EpochRecord[];
  completedEpochs: number;
}> {
  if (!options.resume) {
    if (await hasCheckpoint(options.outDir))
      note(
        `Note: ${checkpointPath(options.outDir)} will be replaced; pass --resume to continue it instead.`,
      );
    return {
      model: await buildModel(options),
      description: describeModel(options.model),
      history: [],
      completedEpochs: 0,
    };
  }
  const { model, state } = await loadCheckpoint(options.outDir, { seed: options.seed });
  const requested = describeModel(options.model);
  if (state.settings?.model && state.settings.model !== requested)
    note(`Resuming ${state.settings.model} from the checkpoint (--model ${requested} is ignored).`);
  const interrupted = state.interrupted;
  note(
    `Resuming from ${checkpointPath(options.outDir)}: ${state.completedEpochs} epoch(s) done` +
      (interrupted
        ? `; epoch ${interrupted.epoch} was interrupted at step ${interrupted.step}/${interrupted.steps} and runs again.`
        : '.'),
  );
  return {
    model,
    description: state.settings?.model ?? requested,
    history: state.history,
    completedEpochs: state.completedEpochs,
  };
}

async function train(options: TrainOptions, io: TrainerIo): Promise<number> {
  const note = (text: string) => io.stderr.write(`${text}\n`);
  const print = (text: string) => io.stdout.write(`${text}\n`);
  const interrupted = () => io.interrupt?.aborted === true;

  const pooled = options.workers > 1;
  const data: TrainingData = await loadTrainingData({
    dataDir: options.dataDir,
    subset: options.subset,
    shared: pooled && canShareMemory(),
    ...folderOptions(options),
    progress: io.stderr,
  });
  const trainCount = data.trainImages.shape[0]!;
  note(describeTrainingData(data));

  const prepared = await prepareModel(options, note);
  const { model } = prepared;
  checkModelFitsData(
    model,
    { imageShape: data.trainImages.shape, classNames: data.classNames, source: data.source },
    prepared.description,
  );
  const history = [...prepared.history];
  let completedEpochs = prepared.completedEpochs;
  model.summary({ printFn: print });

  const executor: Executor = pooled ? createPool({ workers: options.workers }) : inlineExecutor();
  note(
    `Training ${prepared.description} on ${executor.workers} thread(s), batch size ${options.batchSize}.`,
  );
  const settings = {
    model: prepared.description,
    batchSize: options.batchSize,
    seed: options.seed,
    subset: options.subset ?? null,
  };

  const stop = async (epoch: number, step: number, steps: number): Promise<number> => {
    const path = await saveCheckpoint(options.outDir, model, {
      completedEpochs,
      interrupted: { epoch, step, steps },
      history,
      settings,
    });
    await writeOutputs(options.outDir, history);
    note(
      `Interrupted in epoch ${epoch} at step ${step}/${steps}. Checkpoint saved to ${path}; ` +
        `run the same command with --resume to continue.`,
    );
    return SIGNAL_EXIT_CODES[String(io.interrupt?.reason)] ?? EXIT_CODES.interrupted;
  };

  try {
    const steps = Math.ceil(trainCount / options.batchSize);
    let finalTest: TestMetrics | undefined;
    for (let epoch = completedEpochs + 1; epoch <= options.epochs; epoch++) {
      if (interrupted()) return await stop(epoch, 0, steps);
      print(formatEpochHeader(epoch, options.epochs));
      const bar = new ProgressBar({ target: steps, output: io.stdout });
      let stepsDone = 0;
      const started = performance.now();
      let trainLogs: { loss: number; accuracy?: number } = { loss: Number.NaN };
      await model.fit(data.trainImages, data.trainLabels, {
        epochs: 1,
        batchSize: options.batchSize,
        shuffle: true,
        // Data-parallel replicas on that many threads (the pool above scores the test set).
        workers: options.workers,
        callbacks: {
          onBatchEnd: async (batch, logs) => {
            stepsDone = batch + 1;
            trainLogs = logs;
            bar.update(stepsDone, metricsOf(logs));
            await yieldToEventLoop();
            return interrupted() ? 'stop' : undefined;
          },
        },
      });
      const seconds = (performance.now() - started) / 1000;
      if (stepsDone < steps) {
        bar.abandon();
        return await stop(epoch, stepsDone, steps);
      }
      const test = await evaluateInBatches(model, data.testImages, data.testLabels, {
        batchSize: options.batchSize,
        executor,
        output: epoch === options.epochs ? io.stdout : undefined,
        shouldStop: interrupted,
      });
      if (!test) return await stop(epoch, steps, steps);
      history.push({
        epoch,
        loss: trainLogs.loss,
        accuracy: trainLogs.accuracy ?? Number.NaN,
        valLoss: test.loss,
        valAccuracy: test.accuracy,
        seconds,
      });
      completedEpochs = epoch;
      finalTest = test;
      await saveCheckpoint(options.outDir, model, {
        completedEpochs,
        interrupted: null,
        history,
        settings,
      });
      await writeOutputs(options.outDir, history);
    }

    if (!finalTest) {
      note(
        `The checkpoint already holds ${completedEpochs} epoch(s); nothing to train (raise --epochs to train more).`,
      );
      finalTest = await evaluateInBatches(model, data.testImages, data.testLabels, {
        batchSize: options.batchSize,
        executor,
        output: io.stdout,
        shouldStop: interrupted,
      });
      if (!finalTest)
        return SIGNAL_EXIT_CODES[String(io.interrupt?.reason)] ?? EXIT_CODES.interrupted;
    }

    await saveModel(model, options.outDir);
    await writeOutputs(options.outDir, history);
    note(
      `Saved to ${options.outDir}: model.json + ${WEIGHTS_FILE} (TensorFlow.js format), ` +
        `${HISTORY_JSON_FILE}, ${HISTORY_CSV_FILE}, ${CURVES_FILE}; checkpoint in ${checkpointPath(options.outDir)}.`,
    );
    return checkTarget(finalTest.accuracy, options.targetAccuracy, note);
  } finally {
    await executor.close();
  }
}

function checkTarget(
  accuracy: number,
  targetPercent: number | undefined,
  note: (text: string) => void,
): number {
  const percent = accuracy * 100;
  if (targetPercent === undefined) {
    note(`Test accuracy: ${percent.toFixed(2)}%.`);
    return EXIT_CODES.ok;
  }
  if (!(percent >= targetPercent)) {
    note(
      `Test accuracy ${percent.toFixed(2)}% is below the target ${targetPercent}%: exit code ${EXIT_CODES.failed}.`,
    );
    return EXIT_CODES.failed;
  }
  note(`Test accuracy ${percent.toFixed(2)}% meets the target ${targetPercent}%.`);
  return EXIT_CODES.ok;
}

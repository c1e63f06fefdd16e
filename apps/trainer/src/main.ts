// convoy-train's run, start to finish: parse flags, load data, build or resume the model, print
// the summary, train epoch by epoch with Keras's progress lines, evaluate on the test set after
// each epoch, checkpoint, write the outputs, and turn --target-accuracy into the exit code.
// stdout carries the Keras transcript only; notes (data source, files written) go to stderr.

import { join } from 'node:path';
import { type Sequential, saveModel, type TrainingSnapshot, WEIGHTS_FILE } from '@convoy/layers';
import { createExecutor } from '@convoy/ops';
import {
  checkpointPath,
  cleanCheckpointLeftovers,
  hasCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type TrainerState,
} from './checkpoint.js';
import { describeCheckpointEvery } from './checkpoint-every.js';
import { EXIT_CODES, folderOptions, parseTrainArgs, type TrainOptions } from './cli.js';
import { describeTrainingData, loadTrainingData, type TrainingData } from './data.js';
import { checkModelFitsData } from './data-fit.js';
import { evaluateInBatches, type TestMetrics } from './evaluation.js';
import { type EpochRecord, HISTORY_CSV_FILE, HISTORY_JSON_FILE, writeHistory } from './history.js';
import { buildModel, describeModel } from './model.js';
import { checkOutDir } from './out-dir.js';
import { CURVES_FILE, writeTrainingCurves } from './plot/write.js';
import { formatEpochHeader, ProgressBar, type ProgressOutput } from './progress.js';
import { type RunSettings, runSettings, settingsMismatch } from './run-settings.js';
import { describeNonFinite, trainEpoch } from './train-epoch.js';

export interface TrainerIo {
  /** The Keras transcript: summary, epoch lines, evaluate line. A TTY gets live bars. */
  stdout: ProgressOutput;
  /** Notes and errors. */
  stderr: { write(text: string): unknown };
  /** Aborting it (reason 'SIGINT' or 'SIGTERM') stops after the current step and checkpoints. */
  interrupt?: AbortSignal;
  /** Told after every training step and every test batch (for embedding: progress of one's own). */
  onProgress?: (event: TrainerProgress) => void;
}

export interface TrainerProgress {
  phase: 'train' | 'test';
  /** 1-based, as printed. */
  epoch: number;
  /** Steps (or test batches) of the epoch done, of `steps`. */
  step: number;
  steps: number;
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

async function writeOutputs(outDir: string, history: readonly EpochRecord[]): Promise<void> {
  await writeHistory(outDir, history);
  if (history.length > 0) await writeTrainingCurves(join(outDir, CURVES_FILE), history);
}

/** The state before the first step of an epoch: fit starts afresh from the model's RNG. */
function epochStart(model: Sequential, batchSize: number, samples: number): TrainingSnapshot {
  return {
    position: {
      epoch: 0,
      step: 0,
      epochRng: model.trainingRng.getState(),
      sums: { loss: 0, correct: 0, seen: 0 },
    },
    history: { epoch: [], history: {} },
    callbacks: [],
    settings: { batchSize, samples, validationSamples: 0, shuffle: true, seed: model.seed },
  };
}

async function prepareModel(
  options: TrainOptions,
  settings: RunSettings,
  samples: number,
  note: (text: string) => void,
): Promise<{ model: Sequential; description: string; state: TrainerState }> {
  if (!options.resume) {
    if (await hasCheckpoint(options.outDir))
      note(
        `Note: ${checkpointPath(options.outDir)} will be replaced; pass --resume to continue it instead.`,
      );
    const model = await buildModel(options);
    return {
      model,
      description: describeModel(options.model),
      state: {
        settings,
        epoch: 1,
        phase: 'train',
        records: [],
        trained: null,
        seconds: 0,
        snapshot: epochStart(model, options.batchSize, samples),
      },
    };
  }
  const { model, state } = await loadCheckpoint(options.outDir, { seed: options.seed });
  const mismatch = settingsMismatch(state.settings, settings);
  if (mismatch)
    throw new Error(
      `--resume: ${checkpointPath(options.outDir)} was made by a run with other settings, so continuing it would not give that run: ${mismatch}. Resume with the flags the run was started with, or run without --resume to start afresh.`,
    );
  const { step } = state.snapshot.position;
  const steps = Math.ceil(samples / options.batchSize);
  note(
    `Resuming from ${checkpointPath(options.outDir)}: ` +
      (state.epoch > options.epochs
        ? `${state.records.length} epoch(s) done.`
        : state.phase === 'test'
          ? `epoch ${state.epoch}, its training done, at its test pass.`
          : `epoch ${state.epoch}, after step ${step}/${steps}.`),
  );
  return { model, description: settings.model, state: { ...state, settings } };
}

async function train(options: TrainOptions, io: TrainerIo): Promise<number> {
  const note = (text: string) => io.stderr.write(`${text}\n`);
  const print = (text: string) => io.stdout.write(`${text}\n`);
  const interrupted = () => io.interrupt?.aborted === true;

  await checkOutDir(options.outDir, { resume: options.resume });
  const data: TrainingData = await loadTrainingData({
    dataDir: options.dataDir,
    subset: options.subset,
    ...folderOptions(options),
    progress: io.stderr,
  });
  const trainCount = data.trainImages.shape[0]!;
  note(describeTrainingData(data));

  const prepared = await prepareModel(options, runSettings(options, data), trainCount, note);
  const { model } = prepared;
  checkModelFitsData(
    model,
    { imageShape: data.trainImages.shape, classNames: data.classNames, source: data.source },
    prepared.description,
  );
  const state = prepared.state;
  model.summary({ printFn: print });

  const executor = createExecutor({ workers: options.workers });
  note(
    `Training ${prepared.description} on ${executor.workers} thread(s), batch size ${options.batchSize}` +
      (options.checkpointEvery
        ? `, a checkpoint ${describeCheckpointEvery(options.checkpointEvery)}.`
        : '.'),
  );
  await cleanCheckpointLeftovers(options.outDir);
  const save = () => saveCheckpoint(options.outDir, model, state);
  const exitCode = () => SIGNAL_EXIT_CODES[String(io.interrupt?.reason)] ?? EXIT_CODES.interrupted;
  const stopped = async (where: string): Promise<number> => {
    await writeOutputs(options.outDir, state.records);
    note(
      `Interrupted ${where}. Checkpoint saved to ${checkpointPath(options.outDir)}; ` +
        `run the same command with --resume to continue.`,
    );
    return exitCode();
  };

  try {
    const steps = Math.ceil(trainCount / options.batchSize);
    let finalTest: TestMetrics | undefined;
    while (state.epoch <= options.epochs) {
      const epoch = state.epoch;
      if (state.phase === 'train') {
        if (interrupted()) {
          await save();
          return await stopped(
            `in epoch ${epoch} at step ${state.snapshot.position.step}/${steps}`,
          );
        }
        print(formatEpochHeader(epoch, options.epochs));
        const outcome = await trainEpoch({
          model,
          images: data.trainImages,
          labels: data.trainLabels,
          batchSize: options.batchSize,
          workers: options.workers,
          epoch,
          steps,
          resumeFrom: state.snapshot,
          secondsBefore: state.seconds,
          bar: new ProgressBar({
            target: steps,
            output: io.stdout,
            initial: state.snapshot.position.step,
          }),
          checkpointEvery: options.checkpointEvery,
          stopOnNan: options.stopOnNan,
          interrupted,
          onStep: (step) => io.onProgress?.({ phase: 'train', epoch, step, steps }),
          save: async (snapshot, seconds) => {
            Object.assign(state, { snapshot, seconds });
            await save();
          },
          note,
        });
        if (outcome.kind === 'interrupted')
          return await stopped(`in epoch ${epoch} at step ${outcome.step}/${steps}`);
        if (outcome.kind === 'non-finite') {
          const last = (await hasCheckpoint(options.outDir))
            ? `the last checkpoint, ${checkpointPath(options.outDir)}, is from before it`
            : 'no checkpoint was written before it';
          throw new Error(
            `stopped (--stop-on-nan): ${describeNonFinite(outcome.report, epoch, steps)}. Try a smaller --lr; ${last}.`,
          );
        }
        Object.assign(state, {
          phase: 'test',
          trained: { loss: outcome.loss, accuracy: outcome.accuracy },
          seconds: outcome.seconds,
          snapshot: epochStart(model, options.batchSize, trainCount),
        });
      }
      const test = await evaluateInBatches(model, data.testImages, data.testLabels, {
        batchSize: options.batchSize,
        executor,
        output: epoch === options.epochs ? io.stdout : undefined,
        shouldStop: interrupted,
        onStep: (step, steps) => io.onProgress?.({ phase: 'test', epoch, step, steps }),
      });
      if (!test) {
        await save();
        return await stopped(`in epoch ${epoch} during the test pass`);
      }
      state.records.push({
        epoch,
        loss: state.trained!.loss,
        accuracy: state.trained!.accuracy,
        valLoss: test.loss,
        valAccuracy: test.accuracy,
        seconds: state.seconds,
      });
      Object.assign(state, { epoch: epoch + 1, phase: 'train', trained: null, seconds: 0 });
      finalTest = test;
      await save();
      await writeOutputs(options.outDir, state.records);
    }

    if (!finalTest) {
      note(
        `The checkpoint already holds ${state.records.length} epoch(s); nothing to train (raise --epochs to train more).`,
      );
      finalTest = await evaluateInBatches(model, data.testImages, data.testLabels, {
        batchSize: options.batchSize,
        executor,
        output: io.stdout,
        shouldStop: interrupted,
      });
      if (!finalTest) return exitCode();
    }

    await saveModel(model, options.outDir);
    await writeOutputs(options.outDir, state.records);
    note(
      `Saved to ${options.outDir}: model.json + ${WEIGHTS_FILE} (TensorFlow.js format), ` +
        `${HISTORY_JSON_FILE}, ${HISTORY_CSV_FILE}, ${CURVES_FILE}; checkpoint ${checkpointPath(options.outDir)}.`,
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

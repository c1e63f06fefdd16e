// The few shared words through which the trainer drives its replicas without a message per step:
// the trainer writes a command and its arguments, bumps `sequence` and wakes them; each replica
// runs it and counts itself in `done`; the last one wakes the trainer. Replicas block in
// Atomics.wait (allowed on worker threads); the trainer, which may be a page's or Node's main
// thread, never blocks: it awaits Atomics.waitAsync.
//
// Two barriers: `phase` for every replica (all gradients written before any is reduced), and
// `collective` for the replicas that hold rows of the current batch (a layer that needs the whole
// batch's statistics). They are separate so that a replica with no rows, waiting at the phase
// barrier, never counts towards a collective one.
//
// Any failure sets `abort` and wakes every waiter, so no replica or trainer waits forever on one
// that died.

const SEQUENCE = 0;
const COMMAND = 1;
const DONE = 2;
const ABORT = 3;
const PHASE_ARRIVED = 4;
const PHASE_GENERATION = 5;
const COLLECTIVE_ARRIVED = 6;
const COLLECTIVE_GENERATION = 7;
const STATUS = 8;
const FIRST_ARGUMENT = 9;
const ARGUMENTS = 7;

/**
 * Checks of a word a replica makes before it sleeps in Atomics.wait (tens of microseconds): a
 * barrier's partner or the next step usually comes sooner than a sleeping thread wakes up.
 */
const SPINS = 20_000;

/** Words of control memory. */
export const CONTROL_WORDS = FIRST_ARGUMENT + ARGUMENTS;

export const Command = { step: 1, evaluate: 2, stop: 3 } as const;
export type CommandCode = (typeof Command)[keyof typeof Command];

/** Thrown inside a replica when another one failed or the trainer gave up: unwind quietly. */
export class ReplicaAborted extends Error {
  constructor() {
    super('data-parallel step aborted');
    this.name = 'ReplicaAborted';
  }
}

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

export class Control {
  constructor(
    readonly words: Int32Array,
    readonly replicas: number,
  ) {}

  // The trainer's side.

  /** Starts `command` with up to seven integer arguments on every replica. */
  issue(command: CommandCode, args: readonly number[] = []): void {
    if (args.length > ARGUMENTS)
      throw new RangeError(`Control.issue: at most ${ARGUMENTS} arguments`);
    args.forEach((value, i) => {
      Atomics.store(this.words, FIRST_ARGUMENT + i, value);
    });
    Atomics.store(this.words, COMMAND, command);
    Atomics.store(this.words, DONE, 0);
    Atomics.store(this.words, STATUS, 0);
    Atomics.add(this.words, SEQUENCE, 1);
    Atomics.notify(this.words, SEQUENCE);
  }

  /** Resolves when every replica finished the command, or one failed (see `aborted`). */
  async settled(): Promise<void> {
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    for (;;) {
      const done = Atomics.load(this.words, DONE);
      if (done >= this.replicas || this.aborted !== 0) return;
      const result = waitAsync(this.words, DONE, done);
      if (result.async) await result.value;
    }
  }

  /** 0, or who failed: replica r + 1, or -1 for the trainer. */
  get aborted(): number {
    return Atomics.load(this.words, ABORT);
  }

  /** A command's outcome flag, set by replicas (see Replica). */
  get status(): number {
    return Atomics.load(this.words, STATUS);
  }

  // The replicas' side.

  /** Blocks until a command after `seen` arrives; returns its sequence number. */
  nextCommand(seen: number): number {
    this.spin(SEQUENCE, seen);
    for (;;) {
      this.checkAbort();
      const sequence = Atomics.load(this.words, SEQUENCE);
      if (sequence !== seen) return sequence;
      Atomics.wait(this.words, SEQUENCE, sequence);
    }
  }

  get command(): number {
    return Atomics.load(this.words, COMMAND);
  }

  argument(i: number): number {
    return Atomics.load(this.words, FIRST_ARGUMENT + i);
  }

  setStatus(status: number): void {
    Atomics.store(this.words, STATUS, status);
  }

  /** Counts this replica as done with the command; the last one wakes the trainer. */
  finished(): void {
    if (Atomics.add(this.words, DONE, 1) + 1 >= this.replicas) Atomics.notify(this.words, DONE);
  }

  /** Waits for every replica. */
  phaseBarrier(): void {
    this.barrier(PHASE_ARRIVED, PHASE_GENERATION, this.replicas);
  }

  /** Waits for `participants` replicas (those holding rows of the batch). */
  collectiveBarrier(participants: number): void {
    this.barrier(COLLECTIVE_ARRIVED, COLLECTIVE_GENERATION, participants);
  }

  /** Marks the run as failed (`who`: replica r + 1, or -1) and wakes everyone waiting. */
  abort(who: number): void {
    Atomics.compareExchange(this.words, ABORT, 0, who);
    for (const word of [SEQUENCE, DONE, PHASE_GENERATION, COLLECTIVE_GENERATION]) {
      Atomics.notify(this.words, word);
    }
  }

  /** Returns when `word` no longer holds `value`, or after SPINS checks. */
  private spin(word: number, value: number): void {
    for (let i = 0; i < SPINS && Atomics.load(this.words, word) === value; i++);
  }

  private checkAbort(): void {
    if (Atomics.load(this.words, ABORT) !== 0) throw new ReplicaAborted();
  }

  private barrier(arrivedWord: number, generationWord: number, participants: number): void {
    if (participants <= 1) return;
    const generation = Atomics.load(this.words, generationWord);
    if (Atomics.add(this.words, arrivedWord, 1) + 1 === participants) {
      Atomics.store(this.words, arrivedWord, 0);
      Atomics.add(this.words, generationWord, 1);
      Atomics.notify(this.words, generationWord);
      return;
    }
    this.spin(generationWord, generation);
    while (Atomics.load(this.words, generationWord) === generation) {
      this.checkAbort();
      Atomics.wait(this.words, generationWord, generation);
    }
    this.checkAbort();
  }
}

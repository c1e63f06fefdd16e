// Fault injection for the engine's own tests: a replica that throws, or whose thread dies, at a
// chosen step — the two ways a real replica fails (a bug, an exception from a kernel; out of
// memory, a crash). Off unless a test sets it; the trainer copies it into every ReplicaInit.

export interface ReplicaFault {
  /** Which replica fails. */
  replica: number;
  /** At the step whose optimizer iteration count is this (0 = the first step). */
  iteration: number;
  kind: 'throw' | 'exit';
}

let planned: ReplicaFault | undefined;

/** Makes the following fits' replicas fail as described (undefined: none). Tests only. */
export function injectReplicaFault(fault: ReplicaFault | undefined): void {
  planned = fault;
}

export function plannedFault(): ReplicaFault | undefined {
  return planned;
}

/** Throws (or ends the thread through `exit`) when `fault` is due on this replica and step. */
export function triggerFault(
  fault: ReplicaFault | undefined,
  replica: number,
  iteration: number,
  exit: () => void,
): void {
  if (!fault || fault.replica !== replica || fault.iteration !== iteration) return;
  if (fault.kind === 'exit') exit();
  throw new Error(`injected fault in replica ${replica} at iteration ${iteration}`);
}

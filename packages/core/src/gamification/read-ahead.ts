import type { CoreDeps } from '../kernel/deps.ts';
import { type Fact, readFacts } from './facts.ts';
import type { ProjectorState } from './projector.ts';

/**
 * A full batch means more is waiting: the next batch is read while this pass applies, for the pass that starts from
 * this one's state. It is used only when it came back full (then that pass says there is more, and the caller comes
 * back for what committed after it was read); a short one is read again, so a pass that says it reached the end has
 * read the ledger after it began. Keyed by the deps: one projector per deps.
 */
const readAheads = new WeakMap<
  CoreDeps,
  { epoch: string; position: number; batch: number; facts: Promise<Fact[] | null> }
>();

export function startReadAhead(deps: CoreDeps, next: ProjectorState, batch: number) {
  const facts = readFacts(deps.db, next.position, batch).then(
    (read) => (read.length === batch ? read : null),
    () => null,
  );
  readAheads.set(deps, { epoch: next.epoch, position: next.position, batch, facts });
}

/** The facts after `before`'s position: the read-ahead when it was for this state and came back full, else a read. */
export async function freshFacts(deps: CoreDeps, before: ProjectorState, batch: number): Promise<Fact[]> {
  const ahead = readAheads.get(deps);
  readAheads.delete(deps);
  const fits =
    ahead && ahead.epoch === before.epoch && ahead.position === before.position && ahead.batch === batch;
  return (fits ? await ahead.facts : null) ?? readFacts(deps.db, before.position, batch);
}

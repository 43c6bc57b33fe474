import type { Executor, Transaction } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { type Fact, readFactsByIds } from './facts.ts';
import { holdLease, LEASE_SECONDS } from './lease.ts';
import { freshFacts, startReadAhead } from './read-ahead.ts';

/** The room economy's one cursor over the ledger. */
export const PROJECTOR_NAME = 'room-economy';
/** Ledger transactions read per pass. */
export const PROJECTOR_BATCH = 5_000;
/**
 * How long a hole in the ledger's ids is waited for. Ids are taken when a transaction starts and become visible when
 * it commits, so a lower id can appear after a higher one; a hole older than this is a transaction that rolled back.
 * Transactions on the ledger are milliseconds long (statement timeouts bound them far below this).
 */
export const GAP_GRACE_MS = 30_000;

/**
 * Where the projector stands: every ledger transaction at or below `position` is applied, except the `holes`, ids
 * that were not visible when the projector passed them (in flight, or rolled back), each with when it was seen.
 */
export type ProjectorState = { epoch: string; position: number; holes: ReadonlyMap<number, number> };

/**
 * One projection of the ledger (boards, levels, goals, kings). The projector hands each pass's facts to every
 * projection in order:
 * - `outside` (optional) before the Postgres transaction, with every fact of the pass and the state the pass will
 *   commit: for a store that keeps its own copy of that state to apply exactly once (Redis boards: apply a fact when
 *   its id is above its stored position or one of its stored holes, then store the new state). It may return the
 *   write itself (`send`, touching no database): that runs while the transaction applies the other projections,
 *   and is awaited before this projection's own `apply` and before commit. A pass that fails after `outside` is
 *   read again from the old state, and `outside` skips what it already applied.
 * - `apply` inside the projector's transaction, with only the facts not applied before (exactly once): the holes
 *   that filled first, then the new facts, each in id order; it may return what to announce after commit.
 * - `every` a job run at most once per `seconds` by the projector's holder (expiries, period closes).
 */
export type Projection = {
  name: string;
  outside?: (deps: CoreDeps, facts: Fact[], next: ProjectorState) => Promise<Send | undefined>;
  apply?: (
    deps: CoreDeps,
    tx: Transaction,
    facts: Fact[],
    /** The state before this pass: what was applied before it (at or below `position`, not a hole). */
    before: ProjectorState,
  ) => Promise<AfterCommit | undefined>;
  every?: { seconds: number; run: (deps: CoreDeps) => Promise<void> };
};

export type AfterCommit = () => Promise<void>;
export type Send = () => Promise<void>;

export type PassResult = {
  /** Facts applied in this pass (new ones, and late ones that filled a hole). */
  applied: number;
  position: number;
  /** Ids below the position still waited for. */
  holes: number;
  /** True when a full batch was read: there is more to read right away. */
  more: boolean;
};

/** At most this many holes are waited for; past it the oldest are given up (logged by the caller's metrics). */
export const MAX_HOLES = 50_000;

/**
 * One pass: reads the ledger after the position and the holes that may have filled, applies what was not applied
 * yet, and moves the position to the highest id read. Ids skipped on the way become holes; a hole that fills is
 * applied then, and one older than `GAP_GRACE_MS` is a transaction that rolled back and is forgotten.
 */
export async function projectOnce(
  deps: CoreDeps,
  projections: readonly Projection[],
  options: { batch?: number } = {},
): Promise<PassResult> {
  const batch = options.batch ?? PROJECTOR_BATCH;
  const before = await readState(deps.db, false);
  if (before.epoch === '') return { applied: 0, ...(await startCursor(deps)), more: true };
  const [late, fresh] = await Promise.all([
    before.holes.size > 0 ? readFactsByIds(deps.db, [...before.holes.keys()]) : Promise.resolve([]),
    freshFacts(deps, before, batch),
  ]);
  const facts = [...late, ...fresh];
  const next = advance(before, fresh, late, deps.clock.now());
  if (fresh.length === batch) startReadAhead(deps, next, batch);
  if (facts.length === 0 && next.holes.size === before.holes.size) {
    return { applied: 0, position: before.position, holes: before.holes.size, more: false };
  }
  const sending = new Map<Projection, Promise<void>>();
  for (const projection of projections) {
    const send = await projection.outside?.(deps, facts, next);
    if (send) {
      const running = send();
      // Awaited below; a failure fails the pass (and rolls the transaction back) there.
      running.catch(() => {});
      sending.set(projection, running);
    }
  }
  const sent = () => Promise.all(sending.values());
  const { applied, after } = await deps.db.transaction(async (tx) => {
    // Another holder may have passed meanwhile (a lease taken over): then its state stands and this pass is void.
    if (!sameState(await readState(tx, true), before)) {
      await sent();
      return { applied: 0, after: [] };
    }
    const unseen = facts.filter(
      (fact) => fact.transactionId > before.position || before.holes.has(fact.transactionId),
    );
    const after: AfterCommit[] = [];
    if (unseen.length > 0) {
      for (const projection of projections) {
        await sending.get(projection);
        const then = await projection.apply?.(deps, tx, unseen, before);
        if (then) after.push(then);
      }
    }
    // What went outside Postgres is written before the pass commits.
    await sent();
    await saveState(tx, before, next);
    return { applied: unseen.length, after };
  });
  for (const then of after) await then();
  return { applied, position: next.position, holes: next.holes.size, more: fresh.length === batch };
}

/** Runs passes until the ledger is read to its end (tests, rebuilds, the first pass after a start). */
export async function projectUntilCaughtUp(
  deps: CoreDeps,
  projections: readonly Projection[],
  options: { batch?: number } = {},
): Promise<number> {
  let applied = 0;
  for (;;) {
    const pass = await projectOnce(deps, projections, options);
    applied += pass.applied;
    if (!pass.more) return applied;
  }
}

/**
 * The state after a pass: the position moves to the highest id read; ids skipped on the way are new holes (seen
 * `now`); holes that filled (`late`) or are older than the grace are gone.
 */
export function advance(
  before: ProjectorState,
  fresh: readonly Fact[],
  late: readonly Fact[],
  now: Date,
): ProjectorState {
  const holes = new Map(before.holes);
  for (const fact of late) holes.delete(fact.transactionId);
  for (const [id, seenAt] of holes) if (now.getTime() - seenAt > GAP_GRACE_MS) holes.delete(id);
  let position = before.position;
  for (const fact of fresh) {
    for (let id = position + 1; id < fact.transactionId; id++) holes.set(id, now.getTime());
    position = fact.transactionId;
  }
  if (holes.size > MAX_HOLES) {
    const oldest = [...holes.keys()].sort((a, b) => a - b).slice(0, holes.size - MAX_HOLES);
    for (const id of oldest) holes.delete(id);
  }
  return { epoch: before.epoch, position, holes };
}

/** The first pass writes the cursor (and its epoch) before reading: every later pass knows its epoch. */
async function startCursor(deps: CoreDeps): Promise<{ position: number; holes: number }> {
  await deps.db.execute(sql`
    insert into projector_cursors (name) values (${PROJECTOR_NAME}) on conflict (name) do nothing`);
  return { position: 0, holes: 0 };
}

function sameState(a: ProjectorState, b: ProjectorState): boolean {
  if (a.epoch !== b.epoch || a.position !== b.position || a.holes.size !== b.holes.size) return false;
  for (const id of a.holes.keys()) if (!b.holes.has(id)) return false;
  return true;
}

async function readState(db: Executor, lock: boolean): Promise<ProjectorState> {
  if (lock) {
    await db.execute(sql`
      insert into projector_cursors (name) values (${PROJECTOR_NAME}) on conflict (name) do nothing`);
  }
  const rows = rowsOf<{
    epoch: string | null;
    position: number | null;
    hole: number | null;
    seenAt: string | Date | null;
  }>(
    await db.execute(sql`
      select c.epoch::text as epoch, c.position::float8 as position, null::float8 as hole,
          null::timestamptz as "seenAt"
        from (select epoch, position from projector_cursors where name = ${PROJECTOR_NAME}
          ${lock ? sql`for update` : sql``}) c
      union all
      select null, null, h.transaction_id::float8, h.seen_at from projector_holes h
        where h.name = ${PROJECTOR_NAME}`),
  );
  // Before the first pass there is no cursor yet: nothing is applied, under no epoch.
  let epoch = '';
  let position = 0;
  const holes = new Map<number, number>();
  for (const row of rows) {
    if (row.position !== null) position = Number(row.position);
    if (row.epoch !== null) epoch = row.epoch;
    if (row.hole !== null) holes.set(Number(row.hole), new Date(row.seenAt!).getTime());
  }
  return { epoch, position, holes };
}

async function saveState(tx: Transaction, before: ProjectorState, next: ProjectorState) {
  await tx.execute(sql`
    update projector_cursors set position = ${next.position}, updated_at = now()
    where name = ${PROJECTOR_NAME}`);
  const gone = [...before.holes.keys()].filter((id) => !next.holes.has(id));
  const added = [...next.holes].filter(([id]) => !before.holes.has(id));
  if (gone.length > 0) {
    await tx.execute(sql`
      delete from projector_holes where name = ${PROJECTOR_NAME}
        and transaction_id = any(${`{${gone.join(',')}}`}::bigint[])`);
  }
  if (added.length > 0) {
    await tx.execute(sql`
      insert into projector_holes (name, transaction_id, seen_at)
      select ${PROJECTOR_NAME}, id, to_timestamp(seen / 1000.0)
      from unnest(${`{${added.map(([id]) => id).join(',')}}`}::bigint[],
        ${`{${added.map(([, seen]) => seen).join(',')}}`}::float8[]) as h(id, seen)
      on conflict do nothing`);
  }
}

/** Where the projector stands (what a rebuild starts from), read in `db` (a transaction's snapshot, say). */
export function projectorState(db: Executor): Promise<ProjectorState> {
  return readState(db, false);
}

export type ProjectorRunner = { stop: () => Promise<void> };

/**
 * Runs the projector in this process while it holds the lease (one holder across every node), a pass every
 * `intervalMs` (at once again after a full batch), and each projection's `every` job on its schedule.
 */
export function startProjector(
  deps: CoreDeps,
  projections: readonly Projection[],
  options: { intervalMs: number; onError: (error: unknown) => void },
): ProjectorRunner {
  const holder = crypto.randomUUID();
  const lastRun = new Map<string, number>();
  // The lease is renewed when half of it is left, not on every pass.
  let heldUntil = 0;
  const holding = async () => {
    const now = deps.clock.now().getTime();
    if (now < heldUntil - (LEASE_SECONDS * 1000) / 2) return true;
    const held = await holdLease(deps, PROJECTOR_NAME, holder);
    heldUntil = held ? now + LEASE_SECONDS * 1000 : 0;
    return held;
  };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  const tick = async () => {
    let more = false;
    try {
      if (await holding()) {
        more = (await projectOnce(deps, projections)).more;
        await runDue(deps, projections, lastRun);
      }
    } catch (error) {
      options.onError(error);
    }
    if (!stopped) timer = setTimeout(run, more ? 0 : options.intervalMs);
  };
  const run = () => {
    running = tick();
  };
  run();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

async function runDue(deps: CoreDeps, projections: readonly Projection[], lastRun: Map<string, number>) {
  const now = deps.clock.now().getTime();
  for (const projection of projections) {
    if (!projection.every) continue;
    const last = lastRun.get(projection.name) ?? 0;
    if (now - last < projection.every.seconds * 1000) continue;
    lastRun.set(projection.name, now);
    await projection.every.run(deps);
  }
}

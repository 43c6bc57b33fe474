import type { Transaction } from '@app/db/client';
import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { type Fact, readFacts } from './facts.ts';
import { holdLease, LEASE_SECONDS } from './lease.ts';

/** The room economy's one cursor over the ledger. */
export const PROJECTOR_NAME = 'room-economy';
/** Ledger transactions read per pass. */
export const PROJECTOR_BATCH = 5_000;
/**
 * How long a gap in the ledger's ids is waited for. Ids are taken when a transaction starts and become visible when
 * it commits, so a lower id can appear after a higher one; a gap older than this is a transaction that rolled back.
 * Transactions on the ledger are milliseconds long (statement timeouts bound them far below this).
 */
export const GAP_GRACE_MS = 30_000;

/**
 * One projection of the ledger (boards, levels, goals, kings). The projector hands each pass's facts to every
 * projection in order:
 * - `outside` (optional) before the Postgres transaction, with every fact read after the cursor: for stores that
 *   keep their own exactly-once watermark (Redis boards), given the position the pass will commit.
 * - `apply` inside the projector's transaction, with only the facts not applied before (exactly once); it may
 *   return what to announce after commit.
 * - `every` a job run at most once per `seconds` by the projector's holder (expiries, period closes).
 */
export type Projection = {
  name: string;
  outside?: (deps: CoreDeps, facts: Fact[], position: number) => Promise<void>;
  apply?: (deps: CoreDeps, tx: Transaction, facts: Fact[]) => Promise<AfterCommit | undefined>;
  every?: { seconds: number; run: (deps: CoreDeps) => Promise<void> };
};

export type AfterCommit = () => Promise<void>;

export type PassResult = {
  /** Facts read after the cursor (some may have been applied already, ahead of a gap). */
  read: number;
  /** Facts applied for the first time. */
  applied: number;
  /** Every ledger transaction at or below this is applied. */
  position: number;
  /** True when a full batch was read: there is more to read right away. */
  more: boolean;
};

type CursorState = { position: number; ahead: Set<number> };

/**
 * One pass: reads the ledger after the cursor, applies what was not applied yet, and moves the cursor over every
 * id that is settled (present, or a gap older than `GAP_GRACE_MS`). Facts past a fresh gap are applied now and
 * remembered in `projector_applied`, so when the gap fills the late fact is applied and nothing twice.
 */
export async function projectOnce(
  deps: CoreDeps,
  projections: readonly Projection[],
  options: { batch?: number } = {},
): Promise<PassResult> {
  const batch = options.batch ?? PROJECTOR_BATCH;
  const before = await readCursor(deps);
  const facts = await readFacts(deps.db, before.position, batch);
  if (facts.length === 0) return { read: 0, applied: 0, position: before.position, more: false };
  const { position, ahead } = settle(before.position, facts, deps.clock.now());
  for (const projection of projections) await projection.outside?.(deps, facts, position);
  const { fresh, after } = await deps.db.transaction(async (tx) => {
    const current = await lockCursor(tx);
    const fresh = facts.filter(
      (fact) => fact.transactionId > current.position && !current.ahead.has(fact.transactionId),
    );
    const after: AfterCommit[] = [];
    if (fresh.length > 0) {
      for (const projection of projections) {
        const then = await projection.apply?.(deps, tx, fresh);
        if (then) after.push(then);
      }
    }
    await saveCursor(tx, Math.max(position, current.position), ahead);
    return { fresh, after };
  });
  for (const then of after) await then();
  return { read: facts.length, applied: fresh.length, position, more: facts.length === batch };
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
 * The new position: the highest id up to which every id is present or a gap older than the grace; and the ids
 * past it that are applied now.
 */
export function settle(
  from: number,
  facts: readonly Fact[],
  now: Date,
): { position: number; ahead: number[] } {
  let position = from;
  let blocked = false;
  const ahead: number[] = [];
  for (const fact of facts) {
    const gap = fact.transactionId !== position + 1;
    if (!blocked && gap && now.getTime() - fact.at.getTime() < GAP_GRACE_MS) blocked = true;
    if (blocked) ahead.push(fact.transactionId);
    else position = fact.transactionId;
  }
  return { position, ahead };
}

async function readCursor(deps: CoreDeps): Promise<CursorState> {
  const rows = rowsOf<{ position: number | null; applied: number | null }>(
    await deps.db.execute(sql`
      select c.position::float8 as position, null::float8 as applied from projector_cursors c
        where c.name = ${PROJECTOR_NAME}
      union all
      select null, a.transaction_id::float8 from projector_applied a where a.name = ${PROJECTOR_NAME}`),
  );
  return stateOf(rows);
}

async function lockCursor(tx: Transaction): Promise<CursorState> {
  await tx.execute(sql`
    insert into projector_cursors (name) values (${PROJECTOR_NAME}) on conflict (name) do nothing`);
  const rows = rowsOf<{ position: number | null; applied: number | null }>(
    await tx.execute(sql`
      select c.position::float8 as position, null::float8 as applied
        from (select position from projector_cursors where name = ${PROJECTOR_NAME} for update) c
      union all
      select null, a.transaction_id::float8 from projector_applied a where a.name = ${PROJECTOR_NAME}`),
  );
  return stateOf(rows);
}

function stateOf(rows: { position: number | null; applied: number | null }[]): CursorState {
  let position = 0;
  const ahead = new Set<number>();
  for (const row of rows) {
    if (row.position !== null) position = Number(row.position);
    if (row.applied !== null) ahead.add(Number(row.applied));
  }
  return { position, ahead };
}

async function saveCursor(tx: Transaction, position: number, ahead: readonly number[]) {
  await tx.execute(sql`
    update projector_cursors set position = ${position}, updated_at = now() where name = ${PROJECTOR_NAME}`);
  if (ahead.length > 0) {
    await tx.execute(sql`
      insert into projector_applied (name, transaction_id)
      select ${PROJECTOR_NAME}, id from unnest(${`{${ahead.join(',')}}`}::bigint[]) as id
      on conflict do nothing`);
  }
  await tx.execute(sql`
    delete from projector_applied where name = ${PROJECTOR_NAME} and transaction_id <= ${position}`);
}

/** The position the projector has applied up to (what a rebuild starts from). */
export async function projectorPosition(deps: CoreDeps): Promise<number> {
  return (await readCursor(deps)).position;
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

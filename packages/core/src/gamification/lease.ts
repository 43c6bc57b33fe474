import { rowsOf } from '@app/db/engine';
import { sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';

/** How long a holder keeps a projector without renewing; another node takes over after this. */
export const LEASE_SECONDS = 10;

/**
 * Takes or renews the lease on `name` for `holder`: true while it is this holder's. A lapsed lease (its holder
 * stopped renewing) goes to whoever asks next, so when several nodes run, exactly one projects.
 */
export async function holdLease(deps: CoreDeps, name: string, holder: string): Promise<boolean> {
  const until = new Date(deps.clock.now().getTime() + LEASE_SECONDS * 1000).toISOString();
  const now = deps.clock.now().toISOString();
  const rows = rowsOf<{ holder: string }>(
    await deps.db.execute(sql`
      insert into projector_leases (name, holder, expires_at) values (${name}, ${holder}, ${until}::timestamptz)
      on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
        where projector_leases.holder = excluded.holder or projector_leases.expires_at < ${now}::timestamptz
      returning holder`),
  );
  return rows[0]?.holder === holder;
}

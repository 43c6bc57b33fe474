import { streams } from '@app/db/schema';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { CoreDeps } from '../kernel/deps.ts';
import { trendingScoreSql } from './lifecycle.ts';

/**
 * Presence is the one writer of a stream's viewer count: the node that leads the room's count stores it here when
 * it changes, so browse cards, their order and the trending score show the same people the stream page counts.
 * An ended stream keeps the zero its end wrote. True when the stored count changed: the caller announces that
 * listings changed (`announceReadsChanged`), once for all the rooms it counted.
 */
export async function recordViewerCount(deps: CoreDeps, streamId: string, count: number): Promise<boolean> {
  const viewers = Math.max(0, Math.trunc(count));
  const changed = await deps.db
    .update(streams)
    .set({
      currentViewers: viewers,
      peakViewers: sql`greatest(${streams.peakViewers}, ${viewers})`,
      trendingScore: trendingScoreSql(viewers, sql`${streams.startedAt}`),
    })
    .where(and(eq(streams.id, streamId), eq(streams.status, 'live'), ne(streams.currentViewers, viewers)))
    .returning({ id: streams.id });
  return changed.length > 0;
}

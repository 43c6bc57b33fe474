import { contentFilters, type FilterTerm, moderationLogs, streams } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { publishFiltersChanged } from '../events/filters.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { forbidden, notFound } from '../kernel/errors.ts';
import { FILTER_LIMITS } from '../kernel/limits.ts';
import type { Actor } from '../kernel/viewer.ts';
import { normaliseWord } from './normalise.ts';
import type { FilterScope, FiltersUpdateInput } from './schemas.ts';
import { type FilterList, forgetList, readList } from './store.ts';

export type FiltersView = FilterList & {
  scope: FilterScope;
  limits: typeof FILTER_LIMITS;
};

/**
 * Whose list the scope names, when the actor may edit it: the platform's for admins only; a room's (its
 * channel's: the streamer's rooms share one list) for the stream's streamer and admins. Nobody else, not even
 * moderators, reads a list: it is the words a room is not shown.
 */
async function editableChannel(deps: CoreDeps, actor: Actor, scope: FilterScope) {
  if (scope.kind === 'platform') {
    if (actor.role !== 'admin') throw forbidden('Only admins can see and edit the platform’s word filters.');
    return { channelId: null, streamId: null };
  }
  // A feature below moderation and streams (bios and titles are screened too), so it reads the stream itself.
  const [stream] = await deps.db
    .select({ id: streams.id, streamerId: streams.streamerId })
    .from(streams)
    .where(eq(streams.id, scope.streamId));
  if (!stream) throw notFound('That stream');
  if (actor.id !== stream.streamerId && actor.role !== 'admin') {
    throw forbidden('Only this stream’s streamer can see and edit its word filters.');
  }
  return { channelId: stream.streamerId, streamId: stream.id };
}

export async function getFilters(deps: CoreDeps, actor: Actor, scope: FilterScope): Promise<FiltersView> {
  const { channelId } = await editableChannel(deps, actor, scope);
  return { scope, ...(await readList(deps.db, channelId)), limits: FILTER_LIMITS };
}

/**
 * Replaces a list whole, logs what changed in `moderation_logs`, and announces it after the commit so every node
 * rebuilds its matcher before the next text it screens.
 */
export async function updateFilters(
  deps: CoreDeps,
  actor: Actor,
  input: FiltersUpdateInput,
): Promise<FiltersView> {
  const { channelId, streamId } = await editableChannel(deps, actor, input.scope);
  const now = deps.clock.now();
  const terms: FilterTerm[] = input.terms.map(({ word, mode }) => ({ word, mode }));
  await deps.db.transaction(async (tx) => {
    const before = await readList(tx, channelId);
    await tx
      .insert(contentFilters)
      .values({
        channelId,
        terms,
        englishPreset: input.englishPreset,
        updatedById: actor.id,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: contentFilters.channelId,
        set: { terms, englishPreset: input.englishPreset, updatedById: actor.id, updatedAt: now },
      });
    await tx.insert(moderationLogs).values({
      actorId: actor.id,
      action: 'update_filters',
      channelId,
      streamId,
      metadata: { scope: input.scope.kind, ...changes(before, terms, input.englishPreset) },
      createdAt: now,
    });
  });
  forgetList(deps, channelId);
  await publishFiltersChanged(deps.bus, channelId);
  return getFilters(deps, actor, input.scope);
}

/** What an edit changed, for the log: words added, removed, or switched between block and mask. */
function changes(before: FilterList, after: FilterTerm[], englishPreset: FilterList['englishPreset']) {
  const old = new Map(before.terms.map((term) => [normaliseWord(term.word), term]));
  const now = new Map(after.map((term) => [normaliseWord(term.word), term]));
  return {
    added: [...now].filter(([key]) => !old.has(key)).map(([, term]) => term),
    removed: [...old].filter(([key]) => !now.has(key)).map(([, term]) => term),
    modeChanged: [...now]
      .filter(([key, term]) => old.has(key) && old.get(key)!.mode !== term.mode)
      .map(([, term]) => term),
    englishPreset: { from: before.englishPreset, to: englishPreset },
    count: after.length,
  };
}

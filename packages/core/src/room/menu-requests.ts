import { type MenuRequest, menuRequests, streamRules, streams, users } from '@app/db/schema';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { SentTip } from '../economy/tips.ts';
import { idempotencyKeySchema } from '../economy/tips.ts';
import { type MenuRequestView, publishToRoom } from '../events/room.ts';
import { publishToUser } from '../events/user.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { invalid, notFound } from '../kernel/errors.ts';
import { tipInRoom } from './tips.ts';

/** The queue shows at most this many waiting requests, and this many recently done. */
export const MENU_QUEUE_MAX = 200;
export const MENU_DONE_SHOWN = 20;

export const menuTipInput = z.strictObject({
  itemId: z.uuid('That is not a menu item id.'),
  idempotencyKey: idempotencyKeySchema,
  anonymous: z.boolean().default(false),
});
export type MenuTipInput = z.output<typeof menuTipInput>;

export const menuQueueInput = z.strictObject({ streamId: z.uuid('That is not a stream id.').optional() });
export const menuMarkDoneInput = z.strictObject({
  requestId: z.number().int().positive('That is not a request.'),
});

export type MenuQueueView = {
  /** `streamer`: the caller's own queue (every request waiting for them); `viewer`: the caller's own requests. */
  view: 'streamer' | 'viewer';
  /** Oldest first. */
  queued: MenuRequestView[];
  /** Most recently done first. */
  done: MenuRequestView[];
};

type Named = { username: string; displayName: string } | null;

function requestView(row: MenuRequest, from: Named): MenuRequestView {
  return {
    id: row.id,
    tipId: row.tipId,
    streamId: row.streamId,
    label: row.label,
    priceTokens: row.priceTokens,
    status: row.status,
    from: row.anonymous || !from ? null : { id: row.fromUserId, ...from },
    createdAt: row.createdAt.toISOString(),
    doneAt: row.doneAt?.toISOString() ?? null,
  };
}

/**
 * A viewer tips a menu item: its price goes to the streamer's live stream as a tip like any other (the room's
 * gates, the ledger, the idempotency key, the chat line, which names the item), then the request is recorded with
 * the item's label and price as they are now and the room hears of it. A retried key returns the first tip and
 * its one request.
 */
export async function tipMenuItem(
  deps: CoreDeps,
  tipperId: string,
  input: MenuTipInput,
): Promise<SentTip & { request: MenuRequestView }> {
  const [item] = await deps.db
    .select()
    .from(streamRules)
    .where(and(eq(streamRules.id, input.itemId), eq(streamRules.active, true)));
  if (!item) throw notFound('That menu item');
  const [live] = await deps.db
    .select({ id: streams.id })
    .from(streams)
    .where(and(eq(streams.streamerId, item.streamerId), eq(streams.status, 'live')))
    .orderBy(desc(streams.startedAt))
    .limit(1);
  if (!live) throw invalid('itemId', 'This streamer is not live; menu tips open when they go live.');
  const sent = await tipInRoom(
    deps,
    tipperId,
    {
      streamId: live.id,
      amountTokens: item.amountTokens,
      anonymous: input.anonymous,
      idempotencyKey: input.idempotencyKey,
    },
    { menuItem: { id: item.id, label: item.label } },
  );
  const [recorded] = await deps.db
    .insert(menuRequests)
    .values({
      tipId: sent.tip.id,
      streamId: sent.tip.streamId,
      streamerId: item.streamerId,
      fromUserId: tipperId,
      itemId: item.id,
      label: item.label,
      priceTokens: sent.tip.amountTokens,
      anonymous: sent.tip.anonymous,
      createdAt: deps.clock.now(),
    })
    .onConflictDoNothing({ target: menuRequests.tipId })
    .returning();
  const row =
    recorded ?? (await deps.db.select().from(menuRequests).where(eq(menuRequests.tipId, sent.tip.id)))[0];
  if (!row) throw new Error(`menu request of tip ${sent.tip.id} is missing`);
  const [named] = await namesOf(deps, [row.fromUserId]);
  const request = requestView(row, named ?? null);
  if (recorded) {
    await publishToRoom(deps.bus, row.streamId, { type: 'menu.tipped', streamId: row.streamId, request });
  }
  return { ...sent, request };
}

async function namesOf(deps: CoreDeps, ids: string[]) {
  if (ids.length === 0) return [];
  return deps.db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
}

async function withNames(deps: CoreDeps, rows: MenuRequest[]): Promise<MenuRequestView[]> {
  const names = new Map(
    (
      await namesOf(
        deps,
        rows.map((row) => row.fromUserId),
      )
    ).map((n) => [n.id, n]),
  );
  return rows.map((row) => requestView(row, names.get(row.fromUserId) ?? null));
}

/**
 * The menu queue. For the streamer (of `streamId`, or without one): every request waiting for them, oldest first,
 * and the ones they did last. For anyone else: their own requests in that stream, with their state.
 */
export async function menuQueue(
  deps: CoreDeps,
  userId: string,
  input: { streamId?: string },
): Promise<MenuQueueView> {
  let streamerId = userId;
  if (input.streamId) {
    const [stream] = await deps.db
      .select({ streamerId: streams.streamerId })
      .from(streams)
      .where(eq(streams.id, input.streamId));
    if (!stream) throw notFound('That stream');
    streamerId = stream.streamerId;
  }
  if (streamerId === userId) {
    const mine = eq(menuRequests.streamerId, userId);
    const [queued, done] = await Promise.all([
      deps.db
        .select()
        .from(menuRequests)
        .where(and(mine, eq(menuRequests.status, 'queued')))
        .orderBy(asc(menuRequests.id))
        .limit(MENU_QUEUE_MAX),
      deps.db
        .select()
        .from(menuRequests)
        .where(and(mine, eq(menuRequests.status, 'done')))
        .orderBy(desc(menuRequests.doneAt), desc(menuRequests.id))
        .limit(MENU_DONE_SHOWN),
    ]);
    return { view: 'streamer', queued: await withNames(deps, queued), done: await withNames(deps, done) };
  }
  const own = await deps.db
    .select()
    .from(menuRequests)
    .where(and(eq(menuRequests.fromUserId, userId), eq(menuRequests.streamId, input.streamId ?? '')))
    .orderBy(asc(menuRequests.id))
    .limit(MENU_QUEUE_MAX);
  const views = await withNames(deps, own);
  return {
    view: 'viewer',
    queued: views.filter((request) => request.status === 'queued'),
    done: views.filter((request) => request.status === 'done').reverse(),
  };
}

/** The streamer marks one of their requests done; the room and the viewer who asked hear of it (once). */
export async function markMenuDone(
  deps: CoreDeps,
  streamerId: string,
  requestId: number,
): Promise<MenuRequestView> {
  const [updated] = await deps.db
    .update(menuRequests)
    .set({ status: 'done', doneAt: deps.clock.now() })
    .where(
      and(
        eq(menuRequests.id, requestId),
        eq(menuRequests.streamerId, streamerId),
        eq(menuRequests.status, 'queued'),
      ),
    )
    .returning();
  const row =
    updated ??
    (
      await deps.db
        .select()
        .from(menuRequests)
        .where(and(eq(menuRequests.id, requestId), eq(menuRequests.streamerId, streamerId)))
    )[0];
  if (!row) throw notFound('That request');
  const [request] = await withNames(deps, [row]);
  if (updated && request) {
    await Promise.all([
      publishToRoom(deps.bus, row.streamId, { type: 'menu.done', streamId: row.streamId, request }),
      publishToUser(deps.bus, row.fromUserId, {
        type: 'menu.done',
        requestId: row.id,
        streamId: row.streamId,
        label: row.label,
      }),
    ]);
  }
  return request!;
}

import { streamRules, streams } from '@app/db/schema';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreDeps } from '../kernel/deps.ts';
import { invalid, notFound } from '../kernel/errors.ts';
import { plainText } from '../kernel/text.ts';

/** A streamer's tip menu holds at most this many items. */
export const MENU_ITEMS_MAX = 50;
export const MENU_LABEL_MAX = 60;

/** A tip menu item as the room and the studio see it. */
export type MenuItemView = { id: string; label: string; priceTokens: number; sortOrder: number };

export const menuListInput = z.union(
  [
    z.strictObject({ streamerId: z.uuid('That is not a user id.') }),
    z.strictObject({ streamId: z.uuid('That is not a stream id.') }),
  ],
  { error: 'Give a streamerId or a streamId.' },
);

export const menuUpsertInput = z.strictObject({
  id: z.uuid('That is not a menu item id.').optional(),
  label: plainText({
    label: 'The item',
    min: 1,
    max: MENU_LABEL_MAX,
    messages: {
      tooLong: `A menu item can be at most ${MENU_LABEL_MAX} characters.`,
      empty: 'Name the menu item.',
    },
  }),
  priceTokens: z
    .number('Enter the price in tokens.')
    .int('Prices are whole tokens.')
    .positive('A price is at least 1 token.')
    .max(10_000_000, 'That price is larger than any tip allowed.'),
});
export type MenuUpsertInput = z.output<typeof menuUpsertInput>;

export const menuReorderInput = z.strictObject({
  ids: z.array(z.uuid('That is not a menu item id.')).max(MENU_ITEMS_MAX, 'A menu has at most 50 items.'),
});

const view = (row: typeof streamRules.$inferSelect): MenuItemView => ({
  id: row.id,
  label: row.label,
  priceTokens: row.amountTokens,
  sortOrder: row.sortOrder,
});

/** A streamer's active menu items in their order (by stream: its streamer's). Anyone may read a menu. */
export async function listMenu(
  deps: CoreDeps,
  input: { streamerId: string } | { streamId: string },
): Promise<MenuItemView[]> {
  let streamerId: string;
  if ('streamId' in input) {
    const [stream] = await deps.db
      .select({ streamerId: streams.streamerId })
      .from(streams)
      .where(eq(streams.id, input.streamId));
    if (!stream) throw notFound('That stream');
    streamerId = stream.streamerId;
  } else {
    streamerId = input.streamerId;
  }
  const rows = await deps.db
    .select()
    .from(streamRules)
    .where(and(eq(streamRules.streamerId, streamerId), eq(streamRules.active, true)))
    .orderBy(asc(streamRules.sortOrder), asc(streamRules.createdAt));
  return rows.map(view);
}

/** Adds an item at the end of the streamer's menu, or edits one of theirs (past requests keep what they were). */
export async function upsertMenuItem(
  deps: CoreDeps,
  streamerId: string,
  input: MenuUpsertInput,
): Promise<MenuItemView> {
  if (input.priceTokens > deps.economy.maxTipTokens) {
    throw invalid(
      'priceTokens',
      `A price can be at most ${deps.economy.maxTipTokens.toLocaleString('en-US')} tokens, the largest tip.`,
    );
  }
  const now = deps.clock.now();
  if (input.id) {
    const [row] = await deps.db
      .update(streamRules)
      .set({ label: input.label, amountTokens: input.priceTokens, updatedAt: now })
      .where(and(eq(streamRules.id, input.id), eq(streamRules.streamerId, streamerId)))
      .returning();
    if (!row) throw notFound('That menu item');
    return view(row);
  }
  return deps.db.transaction(async (tx) => {
    // One streamer's additions in turn, so two at once cannot both be the 50th.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${streamerId}, 12))`);
    const [counted] = await tx
      .select({
        n: sql<number>`count(*)::int`,
        last: sql<number>`coalesce(max(${streamRules.sortOrder}), -1)::int`,
      })
      .from(streamRules)
      .where(eq(streamRules.streamerId, streamerId));
    if ((counted?.n ?? 0) >= MENU_ITEMS_MAX) {
      throw invalid('label', `A tip menu has at most ${MENU_ITEMS_MAX} items. Remove one to add another.`);
    }
    const [row] = await tx
      .insert(streamRules)
      .values({
        streamerId,
        label: input.label,
        amountTokens: input.priceTokens,
        sortOrder: (counted?.last ?? -1) + 1,
      })
      .returning();
    return view(row!);
  });
}

/** Removes one of the streamer's items; requests already tipped for it stay, with its label and price. */
export async function removeMenuItem(
  deps: CoreDeps,
  streamerId: string,
  id: string,
): Promise<{ id: string }> {
  const [row] = await deps.db
    .delete(streamRules)
    .where(and(eq(streamRules.id, id), eq(streamRules.streamerId, streamerId)))
    .returning({ id: streamRules.id });
  if (!row) throw notFound('That menu item');
  return row;
}

/** Puts the streamer's items in a new order: `ids` lists each of their items exactly once. */
export async function reorderMenu(
  deps: CoreDeps,
  streamerId: string,
  ids: string[],
): Promise<MenuItemView[]> {
  const wrong = () =>
    invalid(
      'ids',
      'The new order must list each of your menu items exactly once. Reload the menu and try again.',
    );
  if (new Set(ids).size !== ids.length) throw wrong();
  await deps.db.transaction(async (tx) => {
    const owned = await tx
      .select({ id: streamRules.id })
      .from(streamRules)
      .where(eq(streamRules.streamerId, streamerId))
      .for('update');
    const mine = new Set(owned.map((row) => row.id));
    if (owned.length !== ids.length || ids.some((id) => !mine.has(id))) throw wrong();
    if (ids.length === 0) return;
    await tx.execute(sql`
      update stream_rules r set sort_order = o.position - 1, updated_at = ${deps.clock.now().toISOString()}::timestamptz
      from unnest(${`{${ids.join(',')}}`}::uuid[]) with ordinality as o(id, position)
      where r.id = o.id and r.streamer_id = ${streamerId}::uuid`);
  });
  return listMenu(deps, { streamerId });
}

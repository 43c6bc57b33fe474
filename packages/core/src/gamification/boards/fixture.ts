import { categories, regions, tokenPackages, users } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import { sendTip } from '../../economy/tips.ts';
import type { CoreDeps } from '../../kernel/deps.ts';
import { buyTokens, createTestStream, createTestUser, fundWallet } from '../../testing.ts';

/** A seeded random number generator, so a failing run can be repeated. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A small world for boards tests: two continents, three countries, a city, two categories, streamers with a live
 * stream each spread over them, and tippers (some with no region), funded from the ledger.
 */
export async function boardWorld(
  deps: CoreDeps,
  options: { streamers: number; tippers: number; tokensEach: number },
) {
  const tag = crypto.randomUUID().slice(0, 6);
  const region = async (
    kind: 'continent' | 'country' | 'city',
    code: string | null,
    parentId: number | null,
  ) => {
    const [row] = await deps.db
      .insert(regions)
      .values({ kind, code, parentId, name: `${tag} ${code ?? kind}`, slug: `${tag}-${code ?? kind}` })
      .returning({ id: regions.id });
    return row!.id;
  };
  const eu = await region('continent', 'EU', null);
  const na = await region('continent', 'NA', null);
  const fr = await region('country', 'FR', eu);
  const de = await region('country', 'DE', eu);
  const us = await region('country', 'US', na);
  const paris = await region('city', null, fr);
  const regionIds = [paris, fr, de, us, na, null];
  const cats = await deps.db
    .insert(categories)
    .values([
      { slug: `${tag}-music`, name: 'Music' },
      { slug: `${tag}-games`, name: 'Games' },
    ])
    .returning({ id: categories.id, slug: categories.slug });
  const streamers: { id: string; streamId: string; token: string }[] = [];
  for (let i = 0; i < options.streamers; i++) {
    const { user, token } = await createTestUser(deps, { role: 'streamer' });
    await deps.db
      .update(users)
      .set({ regionId: regionIds[i % regionIds.length] })
      .where(eq(users.id, user.id));
    const stream = await createTestStream(deps, user.id);
    const { streams } = await import('@app/db/schema');
    await deps.db
      .update(streams)
      .set({ categoryId: i % 3 === 2 ? null : cats[i % 2]!.id })
      .where(eq(streams.id, stream.id));
    streamers.push({ id: user.id, streamId: stream.id, token });
  }
  const tippers: { id: string; token: string }[] = [];
  for (let i = 0; i < options.tippers; i++) {
    const { user, token } = await createTestUser(deps);
    await deps.db
      .update(users)
      .set({ regionId: regionIds[(i + 1) % regionIds.length] })
      .where(eq(users.id, user.id));
    if (options.tokensEach > 0) await fundWallet(deps, user.id, options.tokensEach);
    tippers.push({ id: user.id, token });
  }
  const tip = (fromId: string, streamId: string, amountTokens: number, anonymous = false) =>
    sendTip(deps, fromId, { streamId, amountTokens, anonymous, idempotencyKey: crypto.randomUUID() });
  return { tag, categories: cats, streamers, tippers, tip, regions: { eu, na, fr, de, us, paris } };
}

/** A token package and a buyer whose wallet holds only what they bought through Stripe (so a refund reverses tips). */
export async function stripeBuyer(deps: CoreDeps, tokens: number) {
  const [pack] = await deps.db
    .insert(tokenPackages)
    .values({ name: `Pack ${crypto.randomUUID().slice(0, 6)}`, tokens, priceCents: tokens * 10 })
    .returning();
  const { user, token } = await createTestUser(deps);
  const intentId = await buyTokens(deps, user.id, pack!.id);
  return { id: user.id, token, intentId };
}

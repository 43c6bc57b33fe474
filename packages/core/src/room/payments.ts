import type Stripe from 'stripe';
import { type StripeEventOutcome, settleStripeEvent } from '../economy/purchases.ts';
import type { CoreDeps } from '../kernel/deps.ts';
import { recountGoal } from './goals.ts';

/**
 * A verified Stripe event, applied once (`economy` moves the money), then the rooms follow: a stream whose tips
 * were reversed by a refund or dispute shows its goal without them.
 */
export async function handleStripeEvent(deps: CoreDeps, event: Stripe.Event): Promise<StripeEventOutcome> {
  const { outcome, reversedTips } = await settleStripeEvent(deps, event);
  for (const streamId of new Set(reversedTips.map((tip) => tip.streamId))) await recountGoal(deps, streamId);
  return outcome;
}

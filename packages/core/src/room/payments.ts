import type Stripe from 'stripe';
import { type StripeEventOutcome, settleStripeEvent } from '../economy/purchases.ts';
import type { CoreDeps } from '../kernel/deps.ts';

/**
 * A verified Stripe event, applied once (`economy` moves the money). The rooms follow from the ledger: tips it
 * reversed leave their goals when the projector reads the reversal (`goals-projection.ts`).
 */
export async function handleStripeEvent(deps: CoreDeps, event: Stripe.Event): Promise<StripeEventOutcome> {
  const { outcome } = await settleStripeEvent(deps, event);
  return outcome;
}

import type { Appearance, Stripe } from '@stripe/stripe-js';

/** Stripe.js comes from js.stripe.com; if it has not loaded by then, the page says so instead of spinning. */
export const STRIPE_LOAD_TIMEOUT_MS = 15_000;

export class StripeUnavailableError extends Error {
  override name = 'StripeUnavailableError';
}

/**
 * Loads Stripe.js on demand (the `pure` entry does not touch the network until called, so pages without a
 * payment never contact Stripe). Rejects with StripeUnavailableError when it cannot load or takes too long.
 */
export async function loadStripeJs(publishableKey: string): Promise<Stripe> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StripeUnavailableError('Stripe.js did not load in time.')),
      STRIPE_LOAD_TIMEOUT_MS,
    );
  });
  try {
    const { loadStripe } = await import('@stripe/stripe-js/pure');
    const stripe = await Promise.race([loadStripe(publishableKey), timeout]);
    if (!stripe) throw new StripeUnavailableError('Stripe.js is not available in this browser.');
    return stripe;
  } catch (error) {
    if (error instanceof StripeUnavailableError) throw error;
    throw new StripeUnavailableError(error instanceof Error ? error.message : 'Stripe.js could not load.');
  } finally {
    clearTimeout(timer);
  }
}

/** The Payment Element dressed in the site's colours, light or dark as the page currently is. */
export function stripeAppearance(): Appearance {
  const styles = getComputedStyle(document.documentElement);
  const read = (name: string) => styles.getPropertyValue(name).trim() || undefined;
  const dark = styles.colorScheme === 'dark';
  return {
    theme: dark ? 'night' : 'stripe',
    variables: {
      colorPrimary: read('--color-accent'),
      colorBackground: read('--color-surface'),
      colorText: read('--color-text'),
      colorDanger: read('--color-danger'),
      borderRadius: '6px',
    },
  };
}

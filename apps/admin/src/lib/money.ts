const formats = new Map<string, Intl.NumberFormat>();

/** An amount in a currency's cents (Stripe's smallest unit): 5000 usd → "$50.00", 499 eur → "€4.99". */
export function formatMoney(cents: number, currency = 'usd'): string {
  const code = currency.toUpperCase();
  let format = formats.get(code);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    formats.set(code, format);
  }
  return format.format(cents / 100);
}

const tokens = new Intl.NumberFormat('en-US');
export const formatTokens = (value: number) => tokens.format(value);

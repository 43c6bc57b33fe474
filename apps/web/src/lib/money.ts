const tokenNumber = new Intl.NumberFormat('en');

/** "1,250" — a token count without its unit. */
export function formatTokenNumber(tokens: number): string {
  return tokenNumber.format(tokens);
}

/** "1 token", "1,250 tokens". */
export function formatTokens(tokens: number): string {
  return `${tokenNumber.format(tokens)} ${Math.abs(tokens) === 1 ? 'token' : 'tokens'}`;
}

/** A ledger movement with its sign: "+100", "−50" (a real minus sign, so it reads and aligns as one), "0". */
export function formatSignedTokens(tokens: number): string {
  if (tokens > 0) return `+${tokenNumber.format(tokens)}`;
  if (tokens < 0) return `\u2212${tokenNumber.format(-tokens)}`;
  return '0';
}

const currencyFormats = new Map<string, Intl.NumberFormat | null>();

function currencyFormat(currency: string): Intl.NumberFormat | null {
  const code = currency.toUpperCase();
  if (!currencyFormats.has(code)) {
    let format: Intl.NumberFormat | null = null;
    try {
      format = new Intl.NumberFormat('en', { style: 'currency', currency: code });
    } catch {
      // An unknown code: formatPrice falls back to plain digits and the code.
    }
    currencyFormats.set(code, format);
  }
  return currencyFormats.get(code) ?? null;
}

/**
 * A price stored in the currency's smallest unit (Stripe's convention: cents for USD, yen for JPY) as a person
 * reads it: `formatPrice(499, 'usd')` → "$4.99", `formatPrice(500, 'jpy')` → "¥500".
 */
export function formatPrice(minorUnits: number, currency: string): string {
  const format = currencyFormat(currency);
  if (!format) return `${(minorUnits / 100).toFixed(2)} ${currency.toUpperCase()}`;
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

/** What a streamer is paid for `tokens` at the server's rate, in cents. Integer maths: no float drift. */
export function payoutCents(tokens: number, centsPerToken: number): number {
  return tokens * centsPerToken;
}

/** Largest whole-token amount a text field may hold; beyond it the number is no longer exact in JavaScript. */
const MAX_TYPED_TOKENS = 1_000_000_000;

/**
 * A token amount typed by a person: whole, positive, digits only (thousands separators and spaces allowed).
 * Returns null for anything else ("", "1.5", "-3", "1e3", "12abc").
 */
export function parseTokenAmount(text: string): number | null {
  const cleaned = text.trim().replace(/[\s,_]/g, '');
  if (!/^\d+$/.test(cleaned)) return null;
  const value = Number(cleaned);
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_TYPED_TOKENS) return null;
  return value;
}

/**
 * Values across the driver boundary. Bun's SQL client returns bigint as a string and bigint[] as strings, PGlite
 * bigint as a BigInt and bigint[] as numbers; timestamps arrive as Dates or as text; jsonb as objects or text.
 */

/** A Postgres array literal of integers: both drivers pass it as text, cast in SQL (`::bigint[]`). */
export function integerArray(values: readonly number[]): string {
  for (const value of values) {
    if (!Number.isSafeInteger(value))
      throw new RangeError(`${value} is not an integer a bigint can hold exactly`);
  }
  return `{${values.join(',')}}`;
}

/** A bigint as a number, from a number, a BigInt or a decimal string. */
export function toNumber(value: unknown): number {
  const number = Number(value);
  if (value === null || value === undefined || Number.isNaN(number)) {
    throw new TypeError(`expected a number from the database, got ${String(value)}`);
  }
  return number;
}

/** A bigint that may be NULL. */
export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** A bigint[] as numbers, whether the driver gave an array or the array's text (`{1,2}`). */
export function toNumbers(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(toNumber);
  if (typeof value === 'string') return value.replace(/[{}]/g, '').split(',').filter(Boolean).map(toNumber);
  if (value === null || value === undefined) return [];
  throw new TypeError(`expected an array from the database, got ${typeof value}`);
}

/** A timestamptz as a Date, whether the driver gave a Date or Postgres' text. */
export function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime()))
    throw new TypeError(`expected a timestamp from the database, got ${value}`);
  return date;
}

/** A jsonb value, whether the driver parsed it or passed its text. */
export function toJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

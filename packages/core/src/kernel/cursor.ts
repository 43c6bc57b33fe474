import { invalid } from './errors.ts';

/**
 * Opaque keyset cursors: the sort key and id of the last row of a page, as base64url JSON. Times travel as
 * Postgres text so they keep their microseconds.
 */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor<T extends readonly ('string' | 'number')[]>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends 'number' ? number : string } {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  const fits =
    Array.isArray(values) &&
    values.length === shape.length &&
    values.every((value, i) =>
      shape[i] === 'number' ? Number.isFinite(value) : typeof value === 'string' && value.length <= 64,
    );
  if (!fits) throw invalid('cursor', 'That page cursor is not valid; start from the first page.');
  return values as never;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

/** Cursor parts that reach SQL as typed parameters must look like what they claim to be. */
export function checkCursorParts(parts: { uuid?: string[]; timestamp?: string[] }): void {
  const ok =
    (parts.uuid ?? []).every((value) => UUID.test(value)) &&
    (parts.timestamp ?? []).every((value) => TIMESTAMP.test(value));
  if (!ok) throw invalid('cursor', 'That page cursor is not valid; start from the first page.');
}

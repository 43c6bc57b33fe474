/** The SQLSTATE of a driver error (Drizzle wraps it as `cause`), or null. */
export function sqlState(error: unknown): string | null {
  for (let current = error as Record<string, unknown> | undefined, depth = 0; current && depth < 3; depth++) {
    if (typeof current.code === 'string' && /^[0-9A-Z]{5}$/.test(current.code)) return current.code;
    current = current.cause as Record<string, unknown> | undefined;
  }
  return null;
}

/** The constraint a unique violation hit, on postgres.js or PGlite (Drizzle wraps the driver error as `cause`). */
export function uniqueViolation(error: unknown): string | null {
  for (let current = error as Record<string, unknown> | undefined, depth = 0; current && depth < 3; depth++) {
    if (current.code === '23505') {
      return String(current.constraint_name ?? current.constraint ?? '');
    }
    current = current.cause as Record<string, unknown> | undefined;
  }
  return null;
}

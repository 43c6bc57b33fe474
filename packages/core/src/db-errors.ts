/** The SQLSTATE of a driver error (Drizzle wraps it as `cause`), or null. */
export function sqlState(error: unknown): string | null {
  return sqlError(error)?.state ?? null;
}

/** The SQLSTATE and DETAIL of a driver error, looking through Drizzle's wrapper. */
export function sqlError(
  error: unknown,
): { state: string; message: string; detail: string | null; hint: string | null } | null {
  for (let current = error as Record<string, unknown> | undefined, depth = 0; current && depth < 3; depth++) {
    // postgres.js and PGlite put the SQLSTATE in `code`, Bun's SQL client in `errno`.
    const state = [current.code, current.errno].find((v) => typeof v === 'string' && /^[0-9A-Z]{5}$/.test(v));
    if (typeof state === 'string') {
      return {
        state,
        message: String(current.message ?? ''),
        detail: typeof current.detail === 'string' ? current.detail : null,
        hint: typeof current.hint === 'string' ? current.hint : null,
      };
    }
    current = current.cause as Record<string, unknown> | undefined;
  }
  return null;
}

/** Rows of `db.execute()`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** The constraint a unique violation hit, on postgres.js or PGlite (Drizzle wraps the driver error as `cause`). */
export function uniqueViolation(error: unknown): string | null {
  for (let current = error as Record<string, unknown> | undefined, depth = 0; current && depth < 3; depth++) {
    if (current.code === '23505' || current.errno === '23505') {
      return String(current.constraint_name ?? current.constraint ?? '');
    }
    current = current.cause as Record<string, unknown> | undefined;
  }
  return null;
}

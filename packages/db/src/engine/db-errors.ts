/** What a driver error says, on Bun's SQL client, postgres.js and PGlite alike. */
export type SqlErrorFields = { state: string; message: string; detail: string | null; hint: string | null };

/** Drizzle wraps the driver's error as `cause`; nothing nests deeper than this. */
const MAX_CAUSE_DEPTH = 3;
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of a driver error (Drizzle wraps it as `cause`), or null. */
export function sqlState(error: unknown): string | null {
  return sqlError(error)?.state ?? null;
}

/** The SQLSTATE, message, DETAIL and HINT of a driver error, looking through Drizzle's wrapper. */
export function sqlError(error: unknown): SqlErrorFields | null {
  for (
    let current = error as Record<string, unknown> | undefined, depth = 0;
    current && depth < MAX_CAUSE_DEPTH;
    depth++
  ) {
    // postgres.js and PGlite put the SQLSTATE in `code`, Bun's SQL client in `errno`, an EngineRefusal built
    // from a chat_post_many row (no driver error behind it) in `sqlState`.
    const state = [current.code, current.errno, current.sqlState].find(
      (v) => typeof v === 'string' && SQLSTATE.test(v),
    );
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

/** Rows of `db.execute()`: Bun's SQL client and postgres.js return an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** The constraint a unique violation hit (empty when the driver does not say), or null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  for (
    let current = error as Record<string, unknown> | undefined, depth = 0;
    current && depth < MAX_CAUSE_DEPTH;
    depth++
  ) {
    if (current.code === '23505' || current.errno === '23505') {
      return String(current.constraint_name ?? current.constraint ?? '');
    }
    current = current.cause as Record<string, unknown> | undefined;
  }
  return null;
}

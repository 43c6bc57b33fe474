import { join, relative } from 'node:path';
import { createDatabase, type DatabaseHandle, migrateDatabase } from '../client.ts';

/** The repository root: this file is `packages/db/src/cli/database.ts`. */
export const REPO_ROOT = join(import.meta.dir, '..', '..', '..', '..');
/** The embedded database used when no DATABASE_URL is set. */
export const EMBEDDED_DATA_DIR = join(REPO_ROOT, '.data', 'pglite');
/** Error causes followed when reporting a failure; chains are short, a cycle must not hang the script. */
const MAX_CAUSE_DEPTH = 10;

/**
 * `DATABASE_URL` when it is a Postgres URL, undefined when it is unset or empty (the embedded database is used);
 * anything else stops the script with a sentence saying what is wrong.
 */
export function readDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
  if (protocol === 'postgres:' || protocol === 'postgresql:') return value;
  const found = protocol ? `a ${protocol}// URL` : 'not a URL';
  console.error(
    `DATABASE_URL must be a postgres:// or postgresql:// URL, but it is ${found}; ` +
      `fix it, or unset it to use the embedded database in ${relative(REPO_ROOT, EMBEDDED_DATA_DIR)}.`,
  );
  process.exit(1);
}

/** Where the script works, for its first line of output; a URL is shown without its credentials. */
export function describeTarget(databaseUrl: string | undefined): string {
  if (!databaseUrl) return `the embedded database in ${EMBEDDED_DATA_DIR}`;
  const url = new URL(databaseUrl);
  return `Postgres at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

/** Opens Postgres at `databaseUrl`, or the embedded database without one, and applies pending migrations. */
export async function openMigratedDatabase(databaseUrl: string | undefined): Promise<DatabaseHandle> {
  const handle = await createDatabase(databaseUrl ? { url: databaseUrl } : { dataDir: EMBEDDED_DATA_DIR });
  try {
    await migrateDatabase(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Runs a script's body; a failure is printed as one line and the exit code set, without a stack trace. */
export async function runScript(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    console.error(`${name} failed: ${rootMessage(error)}`);
    process.exitCode = 1;
  }
}

/** The innermost cause says what went wrong (a refused connection), not the query that hit it. */
function rootMessage(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error && current.cause; depth++) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}

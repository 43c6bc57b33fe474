import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { rowsOf } from './engine/db-errors.ts';

/** The functions and triggers that run inside Postgres, one file each: `sql/<domain>/<name>.sql`. */
export const SQL_FOLDER = join(import.meta.dir, '..', 'sql');

/** Where the migrate step records which content of each file the database holds. */
export const SQL_DEFINITIONS_TABLE = 'lumen_sql_definitions';

/**
 * Splits a file into statements, as in drizzle's migrations: the extended query protocol (the only one PGlite
 * takes through Drizzle) runs one statement per call. A file that drops and creates a constraint trigger needs two.
 */
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

export type SqlDefinition = {
  /** Relative to `SQL_FOLDER`, with `/` on every platform: `ledger/ledger_post.sql`. */
  path: string;
  text: string;
  /** SHA-256 of `text`, hex. */
  sha256: string;
};

/** Every `.sql` file under `folder`, ordered by path so that every run applies them in the same order. */
export async function readSqlDefinitions(folder = SQL_FOLDER): Promise<SqlDefinition[]> {
  const paths = [...new Bun.Glob('**/*.sql').scanSync({ cwd: folder })]
    .map((path) => path.split(sep).join('/'))
    .sort();
  return Promise.all(
    paths.map(async (path) => {
      const text = await readFile(join(folder, path), 'utf8');
      return { path, text, sha256: createHash('sha256').update(text).digest('hex') };
    }),
  );
}

/** The statements of one file, without the empty pieces around breakpoints. */
export function statementsOf(text: string): string[] {
  return text
    .split(STATEMENT_BREAKPOINT)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/**
 * Applies each definition whose content differs from the one recorded, and records it, all in one transaction:
 * a file that fails leaves the database as it was, and no commit sees a trigger dropped but not created again.
 * The transaction first takes an advisory lock, so a second process migrating the same database waits, then
 * finds the hashes recorded and applies nothing. `definitions` defaults to the files of `SQL_FOLDER`. Returns the
 * paths applied.
 */
export async function applySqlDefinitions(
  db: Executor,
  definitions?: readonly SqlDefinition[],
): Promise<string[]> {
  const files = definitions ?? (await readSqlDefinitions());
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${SQL_DEFINITIONS_TABLE}, 0))`);
    await tx.execute(
      sql.raw(`CREATE TABLE IF NOT EXISTS ${SQL_DEFINITIONS_TABLE} (
        path text PRIMARY KEY,
        sha256 text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`),
    );
    const recorded = new Map(
      rowsOf<{ path: string; sha256: string }>(
        await tx.execute(sql`select path, sha256 from ${sql.identifier(SQL_DEFINITIONS_TABLE)}`),
      ).map((row) => [row.path, row.sha256]),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (recorded.get(file.path) === file.sha256) continue;
      for (const statement of statementsOf(file.text)) await tx.execute(sql.raw(statement));
      await tx.execute(sql`
        insert into ${sql.identifier(SQL_DEFINITIONS_TABLE)} (path, sha256) values (${file.path}, ${file.sha256})
        on conflict (path) do update set sha256 = excluded.sha256, applied_at = now()`);
      applied.push(file.path);
    }
    return applied;
  });
}

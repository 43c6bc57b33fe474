import { createDatabase, type DatabaseHandle, migrateDatabase } from './client.ts';

/** The server tests use: trust auth on loopback, as on developer machines and CI. */
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDatabase = DatabaseHandle & { name: string; url: string; drop: () => Promise<void> };

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * A fresh, migrated database of its own for one test file on the real Postgres server; `drop()` removes it.
 * Nothing is shared between test files, so they can run in any order.
 */
export async function createTestDatabase(prefix = 'lumen_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`.toLowerCase();
  const admin = await createDatabase({ url: ADMIN_URL, maxConnections: 1 });
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.close();
  const url = withDatabase(ADMIN_URL, name);
  const handle = await createDatabase({ url });
  await migrateDatabase(handle);
  return {
    ...handle,
    name,
    url,
    drop: async () => {
      await handle.close();
      const again = await createDatabase({ url: ADMIN_URL, maxConnections: 1 });
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await again.close();
    },
  };
}

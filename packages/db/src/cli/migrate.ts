import { describeTarget, openMigratedDatabase, readDatabaseUrl, runScript } from './database.ts';

// The only environment this script reads: Postgres when set, the embedded database otherwise.
const databaseUrl = readDatabaseUrl(process.env.DATABASE_URL);

await runScript('Migration', async () => {
  console.log(`Migrating ${describeTarget(databaseUrl)}.`);
  const startedAt = performance.now();
  const handle = await openMigratedDatabase(databaseUrl);
  await handle.close();
  console.log(`Migrations applied in ${Math.round(performance.now() - startedAt)} ms.`);
});

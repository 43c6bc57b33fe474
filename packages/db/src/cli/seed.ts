import { formatDevLogins, seedDatabase } from '../seed/index.ts';
import { describeTarget, openMigratedDatabase, readDatabaseUrl, runScript } from './database.ts';

// The only environment this script reads: Postgres when set, the embedded database otherwise.
const databaseUrl = readDatabaseUrl(process.env.DATABASE_URL);

await runScript('Seeding', async () => {
  console.log(`Seeding ${describeTarget(databaseUrl)}.`);
  const handle = await openMigratedDatabase(databaseUrl);
  try {
    const summary = await seedDatabase(handle.db, { log: (line) => console.log(line) });
    // A seeded database keeps the demo accounts, so their logins are still worth showing.
    if (!summary.seeded) for (const line of formatDevLogins(summary.credentials)) console.log(line);
  } finally {
    await handle.close();
  }
});

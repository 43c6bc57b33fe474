// bun run bench:transformer — what writing a response costs, on real outputs: a fresh database with 1,000 streams
// (`seedBrowseFixture`), the outputs of streams.live (each sort, 24 cards), streams.featured, categories.list and
// regions.tree, each serialized ROUNDS times (20,000) by superjson and by the API's transformer
// (packages/api/src/transformer.ts), then JSON.stringify as tRPC does. Checks first that both arrive identical.
import { transformer } from '@app/api';
import { featuredStreams, listCategories, liveStreams, regionTree } from '@app/core';
import { createTestDeps, seedBrowseFixture } from '@app/core/testing';
import superjson from 'superjson';
import { report } from './report.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 20_000);
const deps = await createTestDeps();
try {
  await seedBrowseFixture(deps.db, { streams: 1_000 });
  const outputs: Record<string, unknown> = {
    'streams.live (24 cards)': await liveStreams(deps, null, { sort: 'viewers', limit: 24 }),
    'streams.featured (8 cards)': await featuredStreams(deps, null, { limit: 8 }),
    'categories.list': await listCategories(deps),
    'regions.tree': await regionTree(deps),
  };
  const rows: { output: string; bytes: number; superjson: number; ours: number }[] = [];
  for (const [name, output] of Object.entries(outputs)) {
    const wire = (serialized: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(serialized)));
    if (!Bun.deepEquals(wire(transformer.serialize(output)), wire(superjson.serialize(output)), true)) {
      throw new Error(`${name}: the two serializations arrive differently`);
    }
    const time = (serialize: (value: unknown) => unknown) => {
      for (let i = 0; i < 500; i++) JSON.stringify(serialize(output));
      const started = performance.now();
      for (let i = 0; i < ROUNDS; i++) JSON.stringify(serialize(output));
      return ((performance.now() - started) * 1000) / ROUNDS;
    };
    const before = time((value) => superjson.serialize(value));
    const after = time((value) => transformer.serialize(value));
    rows.push({
      output: name,
      bytes: JSON.stringify(superjson.serialize(output)).length,
      superjson: before,
      ours: after,
    });
  }
  const us = (value: number) => value.toFixed(1);
  console.log('\n| output | bytes | superjson µs | ours µs | ratio |');
  console.log('|---|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.output} | ${row.bytes} | ${us(row.superjson)} | ${us(row.ours)} | ${(row.superjson / row.ours).toFixed(1)}× |`,
    );
  }
  report(
    'transformer',
    rows.map((row) => ({
      measure: `serialize + stringify ${row.output}`,
      value: Math.round((row.superjson / row.ours) * 10) / 10,
      unit: '×',
      ratioOf: 'superjson µs ÷ ours µs',
    })),
  );
} finally {
  await deps.database.drop();
}

// bun run bench:transformer — what writing a response costs, on real outputs: a fresh database with 1,000 streams
// (`seedBrowseFixture`), the outputs of streams.live (each sort, 24 cards), streams.featured, categories.list and
// regions.tree, each written ROUNDS times (20,000) as tRPC writes a response body: by superjson and by the API's
// transformer (packages/api/src/transformer.ts), each followed by JSON.stringify; by devalue (its own string); and
// by plain JSON.stringify, which loses the Dates (the floor). Checks first that ours and superjson's arrive identical.
import { transformer } from '@app/api';
import { featuredStreams, listCategories, liveStreams, regionTree } from '@app/core';
import { createTestDeps, seedBrowseFixture } from '@app/core/testing';
import * as devalue from 'devalue';
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
  const rows: {
    output: string;
    bytes: number;
    superjson: number;
    ours: number;
    devalue: number;
    json: number;
  }[] = [];
  for (const [name, output] of Object.entries(outputs)) {
    const wire = (serialized: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(serialized)));
    if (!Bun.deepEquals(wire(transformer.serialize(output)), wire(superjson.serialize(output)), true)) {
      throw new Error(`${name}: the two serializations arrive differently`);
    }
    const time = (write: (value: unknown) => string) => {
      for (let i = 0; i < 500; i++) write(output);
      const started = performance.now();
      for (let i = 0; i < ROUNDS; i++) write(output);
      return ((performance.now() - started) * 1000) / ROUNDS;
    };
    rows.push({
      output: name,
      bytes: JSON.stringify(superjson.serialize(output)).length,
      superjson: time((value) => JSON.stringify(superjson.serialize(value))),
      ours: time((value) => JSON.stringify(transformer.serialize(value))),
      devalue: time((value) => devalue.stringify(value)),
      json: time((value) => JSON.stringify(value)),
    });
  }
  const us = (value: number) => value.toFixed(1);
  console.log(
    '\n| output | bytes | superjson µs | devalue µs | ours µs | plain JSON µs (no Dates) | superjson ÷ ours |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.output} | ${row.bytes} | ${us(row.superjson)} | ${us(row.devalue)} | ${us(row.ours)} | ${us(row.json)} | ${(row.superjson / row.ours).toFixed(1)}× |`,
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

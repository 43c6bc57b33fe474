import { createMemoryBus, createMemoryLimiters, DEFAULT_ECONOMY, sendTip, systemClock } from '@app/core';
import { createDatabase } from '@app/db/client';
import { buildTipScene } from './setup.ts';

const scene = await buildTipScene(200, 100000);
const handle = await createDatabase({ url: scene.database.url, maxConnections: 16 });
const deps = {
  db: handle.db,
  clock: systemClock,
  bus: createMemoryBus(),
  limiters: createMemoryLimiters(),
  economy: DEFAULT_ECONOMY,
  stripe: null,
} as never;
const t = performance.now();
let n = 0;
await Promise.all(
  Array.from({ length: 16 }, async (_, w) => {
    while (performance.now() - t < 5000) {
      const v = scene.viewers[Math.floor(Math.random() * scene.viewers.length)]!;
      await sendTip(deps, v.userId, {
        streamId: scene.streamId,
        amountTokens: 5,
        anonymous: false,
        idempotencyKey: crypto.randomUUID(),
      });
      n++;
    }
  }),
);
console.log('direct tips/s', (n / ((performance.now() - t) / 1000)).toFixed(0));
await handle.close();
await scene.database.drop();

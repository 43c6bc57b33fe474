import { parseEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

let env: ReturnType<typeof parseEnv>;
try {
  env = parseEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const log = createLogger(env.LOG_LEVEL);
const started = await startServer(env, log).catch((error: Error) => {
  console.error(`The server cannot start: ${error.message}`);
  process.exit(1);
});
log.info(`Lumen API listening on ${started.url}`, {
  trpc: `${started.url}/trpc`,
  health: `${started.url}/healthz`,
  web: env.WEB_ORIGIN,
  admin: env.ADMIN_ORIGIN,
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    log.info('shutting down', { signal });
    await started.stop();
    process.exit(0);
  });
}

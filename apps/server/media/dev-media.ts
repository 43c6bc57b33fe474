import { livekitApiUrl } from '@app/core';
import { parseEnv } from '../src/env.ts';
import { planMediaServer } from './plan.ts';

/**
 * `bun run dev`'s media server (the `dev:media` task): runs `livekit-server --dev` when it is installed, or
 * prints one line saying how to install it. It never fails the dev run: without a media server, streams go live
 * without video.
 */

/** How long the check for a media server that is already running waits. */
const PROBE_TIMEOUT_MS = 1_000;

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(livekitApiUrl(url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv();
  } catch (error) {
    console.log(`Not starting a media server: ${(error as Error).message}`);
    return 0;
  }
  const plan = planMediaServer({
    livekitServer: Bun.which('livekit-server'),
    alreadyAnswering: await answers(env.LIVEKIT_URL),
    apiPort: env.PORT,
    livekitUrl: env.LIVEKIT_URL,
    apiKey: env.LIVEKIT_API_KEY,
    apiSecret: env.LIVEKIT_API_SECRET,
  });
  console.log(plan.line);
  if (plan.kind === 'skip') return 0;
  const child = Bun.spawn(plan.command, { stdio: ['ignore', 'inherit', 'inherit'] });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const code = await child.exited;
  if (code !== 0 && child.signalCode === null) {
    console.log(
      `livekit-server stopped (exit code ${code}): streams go live without video until it runs again.`,
    );
  }
  return 0;
}

process.exit(await main());

/**
 * What `bun run dev` does about a media server (the `dev:media` task): start `livekit-server --dev` when it is on
 * the PATH, with its webhooks pointed at this API, or say in one line how to get it. The decision is kept apart
 * from running it, so it can be tested without the binary.
 */

/** LiveKit's install script, and its releases for systems the script does not cover. */
export const LIVEKIT_INSTALL =
  '`curl -sSL https://get.livekit.io | bash` (or https://github.com/livekit/livekit/releases, `brew install livekit`)';

export type MediaPlanInput = {
  /** Where `livekit-server` is, or null when it is not on the PATH. */
  livekitServer: string | null;
  /** Whether something already answers at `livekitUrl` (a media server the developer started). */
  alreadyAnswering: boolean;
  /** The API's port: LiveKit posts its webhooks to it. */
  apiPort: number;
  /** The API's LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET. */
  livekitUrl: string;
  apiKey: string;
  apiSecret: string;
};

export type MediaPlan = { kind: 'run'; command: string[]; line: string } | { kind: 'skip'; line: string };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** The keys `livekit-server --dev` makes up by itself. */
const DEV_KEYS = { apiKey: 'devkey', apiSecret: 'secret' };

/** The server config `--config-body` carries: the port of LIVEKIT_URL, and webhooks signed with the API's key. */
export function livekitConfig(input: MediaPlanInput): string {
  const url = new URL(input.livekitUrl);
  return [
    `port: ${url.port || '7880'}`,
    'logging:',
    '  level: warn',
    'webhook:',
    `  api_key: ${input.apiKey}`,
    '  urls:',
    `    - http://127.0.0.1:${input.apiPort}/webhooks/livekit`,
  ].join('\n');
}

export function planMediaServer(input: MediaPlanInput): MediaPlan {
  const url = new URL(input.livekitUrl);
  if (!LOCAL_HOSTS.has(url.hostname)) {
    return { kind: 'skip', line: `LIVEKIT_URL is ${input.livekitUrl}: using that media server.` };
  }
  if (input.alreadyAnswering) {
    return { kind: 'skip', line: `A media server already answers at ${input.livekitUrl}: using it.` };
  }
  if (!input.livekitServer) {
    return {
      kind: 'skip',
      line: `No media server: streams go live without video. For video, install LiveKit with ${LIVEKIT_INSTALL} and run \`bun run dev\` again.`,
    };
  }
  const keys =
    input.apiKey === DEV_KEYS.apiKey && input.apiSecret === DEV_KEYS.apiSecret
      ? []
      : ['--keys', `${input.apiKey}: ${input.apiSecret}`];
  return {
    kind: 'run',
    command: [
      input.livekitServer,
      '--dev',
      '--bind',
      '127.0.0.1',
      ...keys,
      '--config-body',
      livekitConfig(input),
    ],
    line: `Media server: livekit-server --dev at ${input.livekitUrl}, webhooks to http://127.0.0.1:${input.apiPort}/webhooks/livekit.`,
  };
}

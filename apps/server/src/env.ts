import { BlockList, isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';

const REPO_ROOT = join(import.meta.dir, '..', '..', '..');

const url = (name: string, protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `${name} must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL`,
    );

/**
 * Which `X-Forwarded-For` hops to believe, read from the right (proxies append the address they saw): none, a
 * fixed number of proxies, or the proxies' own addresses.
 */
export type TrustProxy = false | { hops: number } | { proxies: BlockList; listed: string[] };

/** More proxies than this in front of one API is a typo. */
const MAX_PROXY_HOPS = 10;

/** `TRUST_PROXY`'s value, or the sentence saying what is wrong with it. */
function parseTrustProxy(value: string): TrustProxy | string {
  const trimmed = value.trim();
  if (trimmed === 'false' || trimmed === '0') return false;
  if (trimmed === 'true') {
    return 'true would let any client choose its own address; set the number of proxies in front of the API (e.g. 1) or their addresses.';
  }
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops > MAX_PROXY_HOPS) return `at most ${MAX_PROXY_HOPS} proxies can be trusted.`;
    return { hops };
  }
  const parsed = parseAddressList(trimmed);
  return typeof parsed === 'string' ? parsed : { proxies: parsed.addresses, listed: parsed.listed };
}

/** A comma-separated list of IP addresses and CIDR ranges, or the sentence saying which entry is wrong. */
function parseAddressList(value: string): { addresses: BlockList; listed: string[] } | string {
  const listed = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const addresses = new BlockList();
  for (const entry of listed) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== null && !(Number.isInteger(bits) && bits >= 0 && bits <= maxBits))
    ) {
      return `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8).`;
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === null) addresses.addAddress(address, type);
    else addresses.addSubnet(address, bits, type);
  }
  return { addresses, listed };
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: url('DATABASE_URL', ['postgres:', 'postgresql:']).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: url('REDIS_URL', ['redis:', 'rediss:']).optional(),
  UPSTASH_REDIS_REST_URL: url('UPSTASH_REDIS_REST_URL', ['http:', 'https:']).optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  DATA_DIR: z.string().default(join(REPO_ROOT, '.data')),
  WEB_ORIGIN: url('WEB_ORIGIN', ['http:', 'https:']).default('http://localhost:5173'),
  ADMIN_ORIGIN: url('ADMIN_ORIGIN', ['http:', 'https:']).default('http://localhost:5174'),
  COOKIE_DOMAIN: z.string().trim().min(1).optional(),
  /**
   * Who may say where a request came from: `false` (nobody: the socket's address), the number of proxies in front
   * of the API, or the proxies' addresses and CIDR ranges, comma-separated.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx): TrustProxy => {
      const parsed = parseTrustProxy(value);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
  /**
   * A server node that stops sending heartbeats (every third of this) drops out of viewer counts after this many
   * seconds; with the 2 s recount, a crashed node's viewers are gone from the count within 30 s by default.
   */
  PRESENCE_TTL_SECONDS: z.coerce.number().int().min(3).max(300).default(24),
  /**
   * How often the room economy's projector reads the ledger for new tips (boards, levels, goals, kings); 0 turns it
   * off on this node (another node runs it: one holds the lease at a time).
   */
  PROJECTOR_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(100),
  /** A session unused for this long ends (use extends it); its websockets close at that moment. */
  SESSION_INACTIVITY_SECONDS: z.coerce
    .number()
    .int()
    .min(2)
    .max(365 * 24 * 60 * 60)
    .default(10 * 24 * 60 * 60),
  /** Open websockets per signed-in user, and per address for visitors who are not signed in, on each node. */
  WS_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1_000).default(8),
  WS_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(16),
  /** Chat lines per user per 30 s, and per room per second (spam limits). */
  CHAT_USER_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  CHAT_ROOM_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'STRIPE_SECRET_KEY must look like sk_test_… or sk_live_…')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/, 'STRIPE_WEBHOOK_SECRET must look like whsec_…')
    .optional(),
  STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_\w+$/, 'STRIPE_PUBLISHABLE_KEY must look like pk_test_… or pk_live_…')
    .optional(),
  /** Where the Stripe API is: only changed to point at a local stand-in. */
  STRIPE_API_BASE: url('STRIPE_API_BASE', ['http:', 'https:']).optional(),
  PAYOUT_CENTS_PER_TOKEN: z.coerce.number().int().min(1).max(1_000).default(5),
  MIN_WITHDRAWAL_TOKENS: z.coerce.number().int().min(1).default(1_000),
  MAX_TIP_TOKENS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  /** Tips one server process holds waiting for Postgres; one more is refused with TOO_MANY_REQUESTS. */
  TIP_QUEUE_MAX: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** Hours a tip stays pending before the streamer can withdraw it (a refund can still reverse it). */
  EARNINGS_HOLD_HOURS: z.coerce.number().int().min(0).max(2_160).default(72),
  /** Where browsers reach LiveKit; the defaults are what `livekit-server --dev` uses. */
  LIVEKIT_URL: url('LIVEKIT_URL', ['ws:', 'wss:']).default('ws://localhost:7880'),
  LIVEKIT_API_KEY: z.string().trim().min(1).default('devkey'),
  LIVEKIT_API_SECRET: z.string().trim().min(1).default('secret'),
  /**
   * Who may read `/metrics`: callers from these addresses or CIDR ranges (the client's address as TRUST_PROXY
   * resolves it; loopback by default), and anyone sending `Authorization: Bearer <METRICS_TOKEN>`.
   */
  METRICS_ALLOW: z
    .string()
    .default('127.0.0.1,::1')
    .transform((value, ctx) => {
      const parsed = parseAddressList(value);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed.addresses;
    }),
  METRICS_TOKEN: z.string().trim().min(24, 'METRICS_TOKEN must be at least 24 characters.').optional(),
  /** Where this server reaches LiveKit's API, when not at LIVEKIT_URL (e.g. `http://livekit:7880` in Docker). */
  LIVEKIT_API_URL: url('LIVEKIT_API_URL', ['http:', 'https:']).optional(),
});

export type Env = z.infer<typeof schema> & { origins: string[]; cookieSecure: boolean };

/** Reads the environment once; a wrong value stops start-up with a sentence naming the variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `${name} is not valid: ${issue.message} (got ${JSON.stringify(cleaned[name] ?? null)}).`;
    });
    throw new Error(`The server cannot start. ${problems.join(' ')}`);
  }
  const env = parsed.data;
  if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
    throw new Error(
      'The server cannot start. STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET go together: set both to take payments, or neither.',
    );
  }
  if (env.NODE_ENV === 'production') {
    const problems = productionProblems(env, cleaned);
    if (problems.length > 0) throw new Error(`The server cannot start in production. ${problems.join(' ')}`);
  }
  const origins = [new URL(env.WEB_ORIGIN).origin, new URL(env.ADMIN_ORIGIN).origin];
  const local = origins.every((origin) => ['localhost', '127.0.0.1'].includes(new URL(origin).hostname));
  return { ...env, origins, cookieSecure: !local };
}

/** The credentials `livekit-server --dev` uses: anyone can sign tokens and webhooks with them. */
const LIVEKIT_DEV_KEYS = { key: 'devkey', secret: 'secret' };
/** LiveKit's own server refuses shorter secrets. */
const MIN_LIVEKIT_SECRET_LENGTH = 32;
/** Stripe's signing secrets are `whsec_` and 32 or more random characters; shorter ones are placeholders. */
const MIN_STRIPE_WEBHOOK_SECRET_LENGTH = 'whsec_'.length + 24;

/**
 * What must not reach production: the well-known development credentials (which let anyone forge LiveKit webhooks
 * and mint publish tokens), placeholder secrets, and the Stripe stand-in. Each problem is a sentence saying what
 * to set.
 */
function productionProblems(
  env: z.infer<typeof schema>,
  given: Record<string, string | undefined>,
): string[] {
  const problems: string[] = [];
  const unsetOr = (name: string, wellKnown: string) =>
    given[name] === undefined
      ? `${name} is not set`
      : `${name} is the well-known development value "${wellKnown}"`;
  if (env.LIVEKIT_API_KEY === LIVEKIT_DEV_KEYS.key) {
    problems.push(
      `${unsetOr('LIVEKIT_API_KEY', LIVEKIT_DEV_KEYS.key)}: set the API key of your LiveKit server or project.`,
    );
  }
  if (env.LIVEKIT_API_SECRET === LIVEKIT_DEV_KEYS.secret) {
    problems.push(
      `${unsetOr('LIVEKIT_API_SECRET', LIVEKIT_DEV_KEYS.secret)}: set the API secret of your LiveKit server or project.`,
    );
  } else if (env.LIVEKIT_API_SECRET.length < MIN_LIVEKIT_SECRET_LENGTH) {
    problems.push(
      `LIVEKIT_API_SECRET is shorter than ${MIN_LIVEKIT_SECRET_LENGTH} characters: set the secret LiveKit generated (\`livekit-server generate-keys\`).`,
    );
  }
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET;
  if (
    webhookSecret &&
    (webhookSecret.length < MIN_STRIPE_WEBHOOK_SECRET_LENGTH || /^whsec_(.)\1*$/.test(webhookSecret))
  ) {
    problems.push(
      "STRIPE_WEBHOOK_SECRET looks like a placeholder: set the signing secret of your webhook endpoint from Stripe's dashboard.",
    );
  }
  if (env.STRIPE_API_BASE) {
    problems.push('STRIPE_API_BASE points Stripe at a stand-in: unset it so that payments go to Stripe.');
  }
  return problems;
}

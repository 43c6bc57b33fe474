import type { IngressClient, RoomServiceClient, WebhookReceiver } from 'livekit-server-sdk';
import type Stripe from 'stripe';

// The ports of `CoreDeps`: what the domain needs from the world, implemented in infra/ (bus, limits, presence)
// and at the edges (Stripe, LiveKit), and by tests with real parts of their own.

/**
 * Where events are announced: `stream:{id}`, `user:{id}`, `admin`, `reads` (what the answers every visitor
 * shares are built on changed: every node's read cache forgets them), `filters` (a word list changed: every node
 * rebuilds it) and `nodes` (the nodes' own probes of the bus, for their metrics).
 */
export type Topic = `stream:${string}` | `user:${string}` | 'admin' | 'reads' | 'filters' | 'nodes';

/** Every event carries a type; payloads are plain JSON. */
export type BusEvent = { type: string } & Record<string, unknown>;

export type EventHandler = (event: BusEvent) => void;

/**
 * Announces events after their transaction committed. In process for one node; over Redis pub/sub when several
 * nodes share the work. Delivery is at most once: subscribers that must not miss anything replay from Postgres.
 */
export type EventBus = {
  publish: (topic: Topic, event: BusEvent) => Promise<void>;
  subscribe: (topic: Topic, handler: EventHandler) => () => void;
  /** Settles once events published on `topic` from now on reach this node's listeners. */
  ready: (topic: Topic) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * What changed in the answers every visitor shares: `streams` (a stream went live, ended or was edited, viewers
 * were counted, a streamer was banned, renamed or let back), `boards` (a projector pass moved the boards, someone
 * hid from them or changed their name).
 */
export type PublicChange = 'streams' | 'boards';

export type ReadCacheStats = {
  /** Answers served from memory. */
  hits: number;
  /** Answers that were loaded (a query ran). */
  misses: number;
  /** Answers that waited for a load another caller had started for the same key (no query of their own). */
  joined: number;
  /** Loads started ahead of expiry for answers still being served (a query, no caller waiting). */
  refreshes: number;
  /** Answers held now. */
  entries: number;
};

/**
 * Public reads held in this process for a moment, one answer per key (the key names the read, its input and
 * whatever of the viewer changes the answer). An answer is forgotten when any change it depends on is announced,
 * on this node at once and on the others through the bus.
 */
export type ReadCache = {
  /** Names this node in the invalidations it announces: it applied them already and skips them on the bus. */
  readonly origin: string;
  /** The fresh answer for `key`, or `load`'s; callers missing the same key at once share one load. */
  get: <T>(key: string, dependsOn: readonly PublicChange[], load: () => Promise<T>) => Promise<T>;
  /** Forgets every answer that depends on one of `changes`, and any load in flight for one. */
  invalidate: (changes: readonly PublicChange[]) => void;
  stats: () => ReadCacheStats;
  /** Stops listening to the bus. */
  close: () => void;
};

export type LimitResult = { success: boolean; retryAfterSeconds: number };
export type Limiter = {
  limit: (key: string) => Promise<LimitResult>;
  reset: (key: string) => Promise<void>;
};

/** `count` attempts per `windowSeconds`, sliding. */
export type LimitRule = { count: number; windowSeconds: number };

export type RateLimitRules = {
  loginByIp: LimitRule;
  /** Password guesses at one account, by sign-in (username or email) and by password change together. */
  loginByAccount: LimitRule;
  registerByIp: LimitRule;
  /** Chat lines per user, across rooms. */
  chatByUser: LimitRule;
  /** Chat lines per room, all senders together: a spam wave is held back. */
  chatByRoom: LimitRule;
  whisperByUser: LimitRule;
  reactByUser: LimitRule;
  /** Reports filed per user: a flood of reports is held back before it reaches the staff queue. */
  reportByUser: LimitRule;
};

export type RateLimiters = Record<keyof RateLimitRules, Limiter>;

/**
 * Who is watching: each server node reports how many live subscribers it holds per stream; the count is the sum
 * over nodes that are still alive. A node that stops reporting (crashed, cut off) drops out of every count once
 * its liveness key expires.
 */
export type Presence = {
  readonly nodeId: string;
  /**
   * This node now holds these viewers of the stream (none removes it): one key per signed-in user or guest
   * address, however many sockets and subscriptions each has.
   */
  report: (streamId: string, viewerKeys: readonly string[]) => Promise<void>;
  /** Distinct viewers across every live node (one seen on two nodes counts once). */
  count: (streamId: string) => Promise<number>;
  /** Keeps this node counted; call more often than `NODE_TTL_SECONDS`. */
  heartbeat: () => Promise<void>;
  /** Takes this node out of every count at once (clean shutdown). */
  leave: () => Promise<void>;
  /**
   * True while this node is the one that announces the stream's viewer count (one node per stream, so every
   * viewer sees the same number); another node takes over within a few seconds when the leader disappears.
   */
  lead: (streamId: string) => Promise<boolean>;
};

export type StripeDeps = {
  client: Stripe;
  webhookSecret: string;
  /** Sent to the browser for the Payment Element. */
  publishableKey: string | null;
};

/** LiveKit as the domain sees it: where browsers connect, the server API clients, and the webhook verifier. */
export type LivekitDeps = {
  /** The `ws(s)://` URL browsers connect to with `livekit-client`. */
  url: string;
  apiKey: string;
  apiSecret: string;
  rooms: RoomServiceClient;
  ingress: IngressClient;
  webhooks: WebhookReceiver;
  /** Whether the media server answers right now (remembered for a moment, so busy pages do not ask each time). */
  reachable: () => Promise<boolean>;
};

/** The economy's numbers, set once per deployment (apps/server/src/env.ts reads them). */
export type EconomyConfig = {
  /** Tokens below which a withdrawal is refused. */
  minWithdrawalTokens: number;
  /** What the platform pays a streamer per token withdrawn, in cents. */
  payoutCentsPerToken: number;
  /** The largest single tip. */
  maxTipTokens: number;
  /** Balance rows of a hot account (earnings, platform accounts); 1 for wallets. */
  hotAccountShards: number;
  /**
   * How long a tip stays pending in the streamer's earnings before it can be withdrawn: a refund or dispute of
   * the purchase that funded it can still take it back until then.
   */
  earningsHoldHours: number;
  /**
   * Tips one server process holds waiting for the database (`economy/tip-queue.ts`); one more is refused at once
   * (RATE_LIMITED) and nothing is stored.
   */
  tipQueueMax: number;
};

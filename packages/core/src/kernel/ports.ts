import type { IngressClient, RoomServiceClient, WebhookReceiver } from 'livekit-server-sdk';
import type Stripe from 'stripe';

// The ports of `CoreDeps`: what the domain needs from the world, implemented in infra/ (bus, limits, presence)
// and at the edges (Stripe, LiveKit), and by tests with real parts of their own.

/** Where events are announced: `stream:{id}`, `user:{id}`, `admin`. */
export type Topic = `stream:${string}` | `user:${string}` | 'admin';

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

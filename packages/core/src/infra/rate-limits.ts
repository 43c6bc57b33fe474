import { Ratelimit } from '@upstash/ratelimit';
import type { Redis as UpstashRedis } from '@upstash/redis';
import type { Limiter, LimitRule, RateLimiters, RateLimitRules } from '../kernel/ports.ts';

export const DEFAULT_RATE_LIMITS: RateLimitRules = {
  loginByIp: { count: 30, windowSeconds: 10 * 60 },
  loginByAccount: { count: 10, windowSeconds: 15 * 60 },
  registerByIp: { count: 10, windowSeconds: 60 * 60 },
  chatByUser: { count: 20, windowSeconds: 30 },
  chatByRoom: { count: 100, windowSeconds: 1 },
  whisperByUser: { count: 20, windowSeconds: 60 },
  reactByUser: { count: 30, windowSeconds: 10 },
  reportByUser: { count: 10, windowSeconds: 60 * 60 },
};

/** Limits shared by every server node, kept in Redis by `@upstash/ratelimit`. */
export function createRedisLimiters(
  redis: UpstashRedis,
  rules: RateLimitRules = DEFAULT_RATE_LIMITS,
  keyPrefix = 'lumen:rl',
): RateLimiters {
  const make = (name: string, rule: LimitRule): Limiter => {
    const limiter = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(rule.count, `${rule.windowSeconds} s`),
      prefix: `${keyPrefix}:${name}`,
      analytics: false,
    });
    return {
      limit: async (key) => {
        const result = await limiter.limit(key);
        return {
          success: result.success,
          retryAfterSeconds: Math.max(1, Math.ceil((result.reset - Date.now()) / 1000)),
        };
      },
      reset: (key) => limiter.resetUsedTokens(key),
    };
  };
  return mapRules(rules, make);
}

/** Bounds the in-process limiter's memory: the oldest keys are forgotten first. */
const MAX_TRACKED_KEYS = 100_000;

/** Single-node limits for the embedded set-up (no Redis): a sliding log per key, in memory. */
export function createMemoryLimiters(rules: RateLimitRules = DEFAULT_RATE_LIMITS): RateLimiters {
  const make = (_name: string, rule: LimitRule): Limiter => {
    const hits = new Map<string, number[]>();
    return {
      limit: async (key) => {
        const now = Date.now();
        const windowStart = now - rule.windowSeconds * 1000;
        const recent = (hits.get(key) ?? []).filter((at) => at > windowStart);
        hits.delete(key);
        if (recent.length >= rule.count) {
          hits.set(key, recent);
          const oldest = recent[0] ?? now;
          return { success: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest - windowStart) / 1000)) };
        }
        recent.push(now);
        hits.set(key, recent);
        if (hits.size > MAX_TRACKED_KEYS) hits.delete(hits.keys().next().value as string);
        return { success: true, retryAfterSeconds: 0 };
      },
      reset: async (key) => {
        hits.delete(key);
      },
    };
  };
  return mapRules(rules, make);
}

function mapRules(rules: RateLimitRules, make: (name: string, rule: LimitRule) => Limiter): RateLimiters {
  return {
    loginByIp: make('login-ip', rules.loginByIp),
    loginByAccount: make('login-account', rules.loginByAccount),
    registerByIp: make('register-ip', rules.registerByIp),
    chatByUser: make('chat-user', rules.chatByUser),
    chatByRoom: make('chat-room', rules.chatByRoom),
    whisperByUser: make('whisper-user', rules.whisperByUser),
    reactByUser: make('react-user', rules.reactByUser),
    reportByUser: make('report-user', rules.reportByUser),
  };
}

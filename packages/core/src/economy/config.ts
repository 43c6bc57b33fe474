import type { EconomyConfig } from '../kernel/ports.ts';

export const DEFAULT_ECONOMY: EconomyConfig = {
  minWithdrawalTokens: 1_000,
  payoutCentsPerToken: 5,
  maxTipTokens: 100_000,
  hotAccountShards: 16,
  earningsHoldHours: 72,
  // Bounds the memory and the wait: drained at ~3,000 tips/s, a full queue is about a third of a second.
  tipQueueMax: 1_000,
};

export { TIP_NOTE_MAX } from '../kernel/limits.ts';
/** How often a transaction that lost a deadlock or serialization race is tried again. */
export const MAX_TRANSACTION_RETRIES = 3;

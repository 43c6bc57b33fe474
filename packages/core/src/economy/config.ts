import type { EconomyConfig } from '../kernel/ports.ts';

export const DEFAULT_ECONOMY: EconomyConfig = {
  minWithdrawalTokens: 1_000,
  payoutCentsPerToken: 5,
  maxTipTokens: 100_000,
  hotAccountShards: 16,
  earningsHoldHours: 72,
};

export { TIP_NOTE_MAX } from '../kernel/limits.ts';
/** How often a transaction that lost a deadlock or serialization race is tried again. */
export const MAX_TRANSACTION_RETRIES = 3;

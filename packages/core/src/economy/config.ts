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
};

export const DEFAULT_ECONOMY: EconomyConfig = {
  minWithdrawalTokens: 1_000,
  payoutCentsPerToken: 5,
  maxTipTokens: 100_000,
  hotAccountShards: 16,
};

export { TIP_NOTE_MAX } from '../kernel/limits.ts';
/** How often a transaction that lost a deadlock or serialization race is tried again. */
export const MAX_TRANSACTION_RETRIES = 3;

/**
 * How many calls one HTTP request or one websocket message may carry. The typed client splits larger batches
 * itself (`maxItems`), so only a hand-made request meets the refusal.
 */
export const MAX_BATCH_CALLS = 20;

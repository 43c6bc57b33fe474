/**
 * Limits named once, for the server's checks and the browser's forms alike: this file imports nothing, so
 * `@app/api/client` can hand it to both apps.
 */

/** Limits on chat. */
export const CHAT_LIMITS = {
  textMax: 500,
  whisperMax: 1000,
  historyMax: 100,
  historyDefault: 50,
  replayMax: 1000,
  /** The same text from the same user within this many seconds is refused. */
  duplicateSeconds: 30,
  timeoutSecondsMin: 1,
  timeoutSecondsMax: 14 * 24 * 60 * 60,
  reasonMax: 200,
  conversationsMax: 50,
  /** "Remove their recent messages" on a timeout or ban deletes the user's chat lines of this many seconds. */
  purgeRecentSeconds: 10 * 60,
} as const;

/** The reactions a message can get. */
export const CHAT_REACTIONS = ['👍', '❤️', '😂', '😮', '🔥', '👏'] as const;
export type ChatReaction = (typeof CHAT_REACTIONS)[number];

/** Limits on what streamers type and what one page of browsing returns. */
export const STREAM_LIMITS = {
  titleMax: 140,
  descriptionMax: 2000,
  tagsMax: 10,
  tagMax: 24,
  languageMax: 8,
  slowModeSecondsMax: 300,
  pageMax: 60,
  pageDefault: 24,
  featuredMax: 12,
  featuredDefault: 6,
  cursorMax: 200,
} as const;

/** The longest note a tip can carry. */
export const TIP_NOTE_MAX = 200;

/** Limits on what people write about themselves, and on a search for people. */
export const USER_LIMITS = {
  displayNameMax: 40,
  bioMax: 500,
  pitchMax: 500,
  searchMax: 50,
} as const;

/** Limits on a word filter list (the platform's or a room's). */
export const FILTER_LIMITS = {
  wordMax: 100,
  termsMax: 500,
} as const;

/** Limits on what staff write and grant: a platform ban's reason, a payout review's note, a token grant. */
export const STAFF_LIMITS = {
  banReasonMin: 3,
  banReasonMax: 500,
  payoutNoteMax: 500,
  /** The most tokens one grant gives: a typo of a few zeros is refused rather than minted. */
  grantTokensMax: 1_000_000,
  grantReasonMin: 3,
  grantReasonMax: 500,
} as const;

/** Limits on reports: the reporter's note, and one page of the staff queue or of someone's own reports. */
export const REPORT_LIMITS = {
  noteMax: 1000,
  resolutionNoteMax: 500,
  pageMax: 100,
  pageDefault: 25,
} as const;

/** The reasons a reporter picks from, in the order the dialog lists them, with the words both apps show. */
export const REPORT_REASONS = {
  spam: 'Spam',
  harassment: 'Harassment or hate',
  child_safety: 'Sexual content involving minors',
  violence: 'Violence or threats',
  self_harm: 'Self-harm',
  impersonation: 'Impersonation',
  other: 'Something else',
} as const;
export type ReportReason = keyof typeof REPORT_REASONS;

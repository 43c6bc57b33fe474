/**
 * What the browser may know of the domain: plain values and functions with no server imports, handed to both
 * apps through `@app/api/client`.
 */
export { formatDuration } from './duration.ts';
export { REFUSAL_REASONS, type RefusalReason } from './errors.ts';
export {
  CHAT_LIMITS,
  CHAT_REACTIONS,
  type ChatReaction,
  REPORT_LIMITS,
  REPORT_REASONS,
  type ReportReason,
  STAFF_LIMITS,
  STREAM_LIMITS,
  TIP_NOTE_MAX,
  USER_LIMITS,
} from './limits.ts';
export { SESSION_COOKIE_NAME, SOCKET_CLOSE } from './session-cookie.ts';

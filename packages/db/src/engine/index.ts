/**
 * The rules that run inside Postgres (`packages/db/sql`), called through typed functions: one per SQL function
 * that TypeScript calls, each naming its file. Refusals are thrown (or, for chat batches, returned) as
 * EngineRefusal; other errors are the driver's, unchanged.
 */
export {
  type ChatEventInput,
  type ChatMessagePayload,
  type ChatPost,
  ChatPostError,
  type ChatPostOutcome,
  chatEventAppend,
  chatEventAppendMany,
  chatPostMany,
} from './chat.ts';
export { rowsOf, type SqlErrorFields, sqlError, sqlState, uniqueViolation } from './db-errors.ts';
export { type LedgerPostInput, type LedgerPosting, type LedgerPostResult, ledgerPost } from './ledger.ts';
export {
  type AnyEngineRefusal,
  EngineRefusal,
  REFUSALS,
  type RefusalCode,
  type RefusalDetails,
  type RefusalState,
  refusalFrom,
  refusalOf,
} from './refusals.ts';
export { type RoomAdmitInput, type RoomCapability, roomAdmit } from './room.ts';
export {
  type SendTipInput,
  type SendTipManyItem,
  type SendTipOutcome,
  type SentTip,
  sendTip,
  sendTipMany,
  TipPostError,
} from './tips.ts';

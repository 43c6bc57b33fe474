import type { LogEntry } from './moderation-log.ts';

/**
 * One CSV cell (RFC 4180: quoted, quotes doubled). A cell a spreadsheet would read as a formula (starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised with a leading apostrophe, so a reason or a
 * username written as `=HYPERLINK(…)` is shown as text and never runs.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export const LOG_CSV_COLUMNS = [
  'time (UTC)',
  'action',
  'actor',
  'target',
  'channel id',
  'stream id',
  'message id',
  'reason',
  'duration (s)',
  'details',
] as const;

export const csvLine = (cells: readonly (string | number | null | undefined)[]) =>
  `${cells.map(csvCell).join(',')}\r\n`;

/** An entry as a CSV line; an anonymous tipper stays anonymous, as on the page. */
export function logCsvLine(entry: LogEntry): string {
  const target = entry.targetAnonymous && !entry.targetUsername ? 'anonymous tipper' : entry.targetUsername;
  return csvLine([
    entry.createdAt.toISOString(),
    entry.action,
    entry.actorUsername ?? (entry.actorId ? '(deleted account)' : 'the platform'),
    target,
    entry.channelId,
    entry.streamId,
    entry.messageId,
    entry.reason,
    entry.durationSeconds,
    Object.keys(entry.metadata ?? {}).length > 0 ? JSON.stringify(entry.metadata) : '',
  ]);
}

import { describe, expect, test } from 'bun:test';
import { csvCell, logCsvLine } from './log-csv.ts';
import { filterSearch, logQuery, parseLogFilters } from './log-filters.ts';
import type { LogEntry } from './moderation-log.ts';

const params = (query: string) => new URLSearchParams(query);

describe('the log’s filters in the address bar', () => {
  test('are read back as they were written, and malformed ones are left out', () => {
    const filters = parseLogFilters(
      params('action=platform&actor=@Maya_Reads&target=spammer42&from=2026-12-01&to=2026-12-03'),
    );
    expect(filters).toEqual({
      action: 'platform',
      actor: 'maya_reads',
      target: 'spammer42',
      from: '2026-12-01',
      to: '2026-12-03',
    });
    expect(parseLogFilters(params(filterSearch(filters).slice(1)))).toEqual(filters);
    expect(
      parseLogFilters(params('action=drop&actor=<script>&target=a%20b&from=2026-13-45&to=yesterday')),
    ).toEqual({ action: 'all', actor: '', target: '', from: '', to: '' });
    expect(filterSearch(parseLogFilters(params('')))).toBe('');
  });

  test('ask the API for the whole UTC days they name, and for the actions of the chosen group', () => {
    const query = logQuery(parseLogFilters(params('action=channel&from=2026-12-01&to=2026-12-01')), 77, 100);
    expect(query).toEqual({
      limit: 100,
      cursor: 77,
      actions: ['ban', 'unban', 'timeout'],
      from: new Date('2026-12-01T00:00:00.000Z'),
      to: new Date('2026-12-02T00:00:00.000Z'),
    });
    expect(logQuery(parseLogFilters(params('')))).toEqual({ limit: 50 });
  });
});

describe('the CSV export', () => {
  test('quotes every cell and doubles quotes inside', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(42)).toBe('"42"');
  });

  test('a cell a spreadsheet would run as a formula is written as text', () => {
    for (const hostile of [
      '=HYPERLINK("http://evil.example","x")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
    ]) {
      const cell = csvCell(hostile);
      expect(cell.startsWith(`"'`)).toBe(true);
    }
    // A negative number of seconds never occurs; a reason that merely contains = is left alone.
    expect(csvCell('a=b')).toBe('"a=b"');
  });

  test('an entry is one line, with an anonymous tipper kept anonymous', () => {
    const entry = {
      id: 9,
      action: 'delete_message',
      reason: '=cmd|"/c calc"!A1',
      durationSeconds: null,
      channelId: 'c1',
      streamId: 's1',
      messageId: 12,
      metadata: {},
      createdAt: new Date('2026-12-04T10:00:00.000Z'),
      actorId: 'a1',
      actorUsername: 'maya_reads',
      targetUserId: null,
      targetUsername: null,
      targetAnonymous: true,
    } as LogEntry;
    expect(logCsvLine(entry)).toBe(
      '"2026-12-04T10:00:00.000Z","delete_message","maya_reads","anonymous tipper","c1","s1","12","\'=cmd|""/c calc""!A1","",""\r\n',
    );
  });
});

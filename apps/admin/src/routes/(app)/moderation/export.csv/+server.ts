import { readApiError } from '@app/api/client';
import { serverApi } from '#lib/server/api.ts';
import { csvLine, LOG_CSV_COLUMNS, logCsvLine } from '../log-csv.ts';
import { logQuery, parseLogFilters } from '../log-filters.ts';
import type { RequestHandler } from './$types';

/** Entries asked of the API at a time while the file is written. */
const EXPORT_PAGE = 100;

/**
 * The moderation log as CSV, with the page's filters (`?action=&actor=&target=&from=&to=`), streamed: one page of
 * the API at a time is written out, so a long log never sits whole in memory. The API decides who may read it
 * (moderators and admins); anyone else gets its refusal, before any byte of the file.
 */
export const GET: RequestHandler = async (event) => {
  const api = serverApi(event);
  const filters = parseLogFilters(event.url.searchParams);
  let first: Awaited<ReturnType<typeof api.admin.moderationLog.query>>;
  try {
    first = await api.admin.moderationLog.query(logQuery(filters, null, EXPORT_PAGE));
  } catch (error) {
    const problem = readApiError(error);
    return new Response(problem.message, {
      status: problem.code === 'UNREACHABLE' ? 502 : problem.status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const encoder = new TextEncoder();
  let cursor = first.nextCursor;
  let pending: typeof first.items | null = first.items;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(LOG_CSV_COLUMNS)}`));
    },
    async pull(controller) {
      try {
        if (!pending) {
          if (cursor === null) return controller.close();
          const page = await api.admin.moderationLog.query(logQuery(filters, cursor, EXPORT_PAGE));
          cursor = page.nextCursor;
          pending = page.items;
        }
        controller.enqueue(encoder.encode(pending.map(logCsvLine).join('')));
        pending = null;
        if (cursor === null) controller.close();
      } catch (error) {
        // Headers are gone already: the download ends short, and the error is what the browser reports.
        controller.error(error);
      }
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="moderation-log-${day}.csv"`,
      'cache-control': 'no-store',
    },
  });
};

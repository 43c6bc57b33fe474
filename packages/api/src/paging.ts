import { z } from 'zod';

/** The most rows one page of a list procedure returns. */
export const PAGE_MAX = 100;

/**
 * The input of a paged procedure: the cursor its query takes (the last row's id or time), and a page size between
 * 1 and `PAGE_MAX`, `defaultLimit` when none is given.
 */
export function pageInput<C extends z.ZodType>(cursor: C, defaultLimit = 25) {
  return z.object({
    cursor: cursor.nullish(),
    limit: z.number().int().min(1).max(PAGE_MAX).default(defaultLimit),
  });
}

/** Cursors that are row ids. */
export const idCursor = z.number().int().positive();
/** Cursors that are a row's creation time. */
export const timeCursor = z.iso.datetime();

/// <reference types="bun" />
import { describe, expect, test } from 'bun:test';
import { MorePages, type Page } from './more-pages.svelte.ts';

type Numbers = Page<number, number>;

/** Pages of 1…`total`, `size` at a time; the cursor is the last number given. */
function pages(total: number, size: number) {
  const asked: number[] = [];
  const fetchPage = async (cursor: number): Promise<Numbers> => {
    asked.push(cursor);
    const items = Array.from({ length: Math.min(size, total - cursor) }, (_, index) => cursor + index + 1);
    const end = cursor + items.length;
    return { items, nextCursor: end < total ? end : null };
  };
  return { asked, fetchPage, first: (): Numbers => ({ items: [1, 2], nextCursor: 2 }) };
}

describe('MorePages', () => {
  test('appends each page after the first until the last one', async () => {
    const source = pages(5, 2);
    const more = new MorePages<number, number>(source.fetchPage);
    const first = source.first();
    expect(more.items(first)).toEqual([1, 2]);
    await more.loadMore(first);
    await more.loadMore(first);
    expect(more.items(first)).toEqual([1, 2, 3, 4, 5]);
    expect(more.hasMore(first)).toBe(false);
    await more.loadMore(first);
    expect(source.asked).toEqual([2, 4]);
  });

  test('a new first page starts the list over, and a late answer for the old one changes nothing', async () => {
    let answer: (page: Numbers) => void = () => {};
    const more = new MorePages<number, number>(() => new Promise((resolve) => (answer = resolve)));
    const old: Numbers = { items: [1], nextCursor: 1 };
    const pending = more.loadMore(old);
    expect(more.loading(old)).toBe(true);
    const fresh: Numbers = { items: [10], nextCursor: 10 };
    expect(more.loading(fresh)).toBe(false);
    answer({ items: [2], nextCursor: null });
    await pending;
    expect(more.items(fresh)).toEqual([10]);
    expect(more.hasMore(fresh)).toBe(true);
  });

  test('asks once while a page is on its way', async () => {
    const source = pages(10, 2);
    const more = new MorePages<number, number>(source.fetchPage);
    const first = source.first();
    await Promise.all([more.loadMore(first), more.loadMore(first)]);
    expect(source.asked).toEqual([2]);
  });

  test('a failure says why in words, keeps what loaded, and clears on the next try or a new list', async () => {
    let fail = true;
    const source = pages(6, 2);
    const more = new MorePages<number, number>(async (cursor) => {
      if (fail) throw new TypeError('Failed to fetch');
      return source.fetchPage(cursor);
    });
    const first = source.first();
    await more.loadMore(first);
    expect(more.problem(first)).toBe(
      'We couldn’t reach Lumen’s servers. Check your connection and try again.',
    );
    expect(more.items(first)).toEqual([1, 2]);
    expect(more.loading(first)).toBe(false);
    expect(more.problem(source.first())).toBeNull();
    fail = false;
    await more.loadMore(first);
    expect(more.problem(first)).toBeNull();
    expect(more.items(first)).toEqual([1, 2, 3, 4]);
  });

  test('hands the last page to the next fetch, so a page can carry what the list needs (names seen so far)', async () => {
    type Named = Page<number, number> & { names: string[] };
    const more = new MorePages<number, number, Named>(async (cursor, last) => ({
      items: [cursor + 1],
      nextCursor: cursor + 1 < 3 ? cursor + 1 : null,
      names: [...last.names, `n${cursor + 1}`],
    }));
    const first: Named = { items: [1], nextCursor: 1, names: ['n1'] };
    await more.loadMore(first);
    await more.loadMore(first);
    expect(more.last(first).names).toEqual(['n1', 'n2', 'n3']);
  });
});

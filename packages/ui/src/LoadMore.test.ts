/// <reference types="bun" />
import { describe, expect, test } from 'bun:test';
import { createRawSnippet } from 'svelte';
import { render } from 'svelte/server';
import LoadMore from './LoadMore.svelte';
import { MorePages, type Page } from './more-pages.svelte.ts';

type Numbers = Page<number, number>;

const html = (props: Record<string, unknown>) => render(LoadMore, { props: props as never }).body;

describe('LoadMore', () => {
  test('offers the next page with the words and test id it is given', () => {
    const more = new MorePages<number, number>(async () => ({ items: [], nextCursor: null }));
    const first: Numbers = { items: [1], nextCursor: 1 };
    const body = html({ more, first, label: 'Load more tips', testid: 'tips-more' });
    expect(body).toContain('Load more tips');
    expect(body).toContain('data-testid="tips-more"');
    expect(body).toContain('ui-list-more');
    expect(html({ more, first })).toContain('Load more');
  });

  test('shows why a page failed, and what the caller gives once every page is loaded', async () => {
    const more = new MorePages<number, number>(async () => {
      throw new TypeError('Failed to fetch');
    });
    const first: Numbers = { items: [1], nextCursor: 1 };
    await more.loadMore(first);
    expect(html({ more, first })).toContain('role="alert">We couldn’t reach Lumen’s servers.');

    const done = createRawSnippet(() => ({ render: () => '<p>That’s everyone.</p>' }));
    const last: Numbers = { items: [1], nextCursor: null };
    const body = html({ more, first: last, done });
    expect(body).toContain('That’s everyone.');
    expect(body).not.toContain('<button');
    expect(html({ more, first: last })).not.toContain('<button');
  });
});

import { readApiError } from '@app/api/client';

/** One page of a list as the API answers it. */
export interface Page<Item, Cursor> {
  items: Item[];
  nextCursor: Cursor | null;
}

/**
 * The pages "Load more" fetched in the browser after a list's first page (which the page's load streamed in).
 * They are tied to the very first page they follow: when the load returns a new one (Refresh, another filter),
 * the list starts over. `PageOf` is the page with anything else it carries (the log's channel names).
 */
export class MorePages<Item, Cursor, PageOf extends Page<Item, Cursor> = Page<Item, Cursor>> {
  // Raw state: `for` must stay the very object the load returned for the identity checks below.
  #extra = $state.raw<{ for: PageOf; items: Item[]; last: PageOf } | null>(null);
  loading = $state(false);
  problem = $state<string | null>(null);
  readonly #fetchPage: (cursor: Cursor, last: PageOf) => Promise<PageOf>;

  /** `fetchPage`: the page after `cursor`; `last` is the page fetched before it. */
  constructor(fetchPage: (cursor: Cursor, last: PageOf) => Promise<PageOf>) {
    this.#fetchPage = fetchPage;
  }

  /** The first page's items, then every item loaded after them. */
  items(first: PageOf): Item[] {
    return this.#extra?.for === first ? [...first.items, ...this.#extra.items] : first.items;
  }

  /** The page fetched last: the first page until "Load more" has run. */
  last(first: PageOf): PageOf {
    return this.#extra?.for === first ? this.#extra.last : first;
  }

  hasMore(first: PageOf): boolean {
    return this.last(first).nextCursor !== null;
  }

  loadMore = async (first: PageOf): Promise<void> => {
    const last = this.last(first);
    if (last.nextCursor === null || this.loading) return;
    this.loading = true;
    this.problem = null;
    try {
      const page = await this.#fetchPage(last.nextCursor, last);
      const before = this.#extra?.for === first ? this.#extra.items : [];
      this.#extra = { for: first, items: [...before, ...page.items], last: page };
    } catch (error) {
      this.problem = readApiError(error).message;
    } finally {
      this.loading = false;
    }
  };
}

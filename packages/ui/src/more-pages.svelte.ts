import { readApiError } from '@app/api/client';

/** One page of a list as the API answers it. */
export interface Page<Item, Cursor> {
  items: Item[];
  nextCursor: Cursor | null;
}

/**
 * The pages "Load more" fetched in the browser after a list's first page (which the page's load rendered or
 * streamed in). They are tied to the very first page they follow: when the load returns a new one (a refresh,
 * another filter, a new search), the list starts over. `PageOf` is the page with anything else it carries.
 */
export class MorePages<Item, Cursor, PageOf extends Page<Item, Cursor> = Page<Item, Cursor>> {
  // Raw state: `for` must stay the very object the load returned for the identity checks below.
  #extra = $state.raw<{ for: PageOf; items: Item[]; last: PageOf } | null>(null);
  #loadingFor = $state.raw<PageOf | null>(null);
  #problem = $state.raw<{ for: PageOf; message: string } | null>(null);
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

  /** Whether the next page after `first` is on its way (not one of a list that has since started over). */
  loading(first: PageOf): boolean {
    return this.#loadingFor === first;
  }

  /** Why the last "Load more" of this list failed, as a sentence; null when it did not. */
  problem(first: PageOf): string | null {
    return this.#problem?.for === first ? this.#problem.message : null;
  }

  loadMore = async (first: PageOf): Promise<void> => {
    const last = this.last(first);
    if (last.nextCursor === null || this.#loadingFor === first) return;
    this.#loadingFor = first;
    this.#problem = null;
    try {
      const page = await this.#fetchPage(last.nextCursor, last);
      const before = this.#extra?.for === first ? this.#extra.items : [];
      this.#extra = { for: first, items: [...before, ...page.items], last: page };
    } catch (error) {
      this.#problem = { for: first, message: readApiError(error).message };
    } finally {
      if (this.#loadingFor === first) this.#loadingFor = null;
    }
  };
}

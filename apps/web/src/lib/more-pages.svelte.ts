import { readApiError } from '@app/api/client';

export interface Page<Item, Cursor> {
  items: Item[];
  nextCursor: Cursor | null;
}

/** A list's first page as the page's load left it: the page, or a sentence saying why it could not load. */
export type FirstPage<Item, Cursor> =
  | { ok: true; value: Page<Item, Cursor> }
  | { ok: false; problem: string };

/**
 * The pages a "Load more" button fetched after the first one (which the page's load rendered). Make it with
 * `$derived(new MorePages(first.nextCursor, fetchPage))`, so a reloaded first page starts the list over.
 */
export class MorePages<Item, Cursor> {
  items = $state<Item[]>([]);
  cursor = $state<Cursor | null>(null);
  loading = $state(false);
  problem = $state<string | null>(null);
  readonly #fetchPage: (cursor: Cursor) => Promise<Page<Item, Cursor>>;

  constructor(cursor: Cursor | null, fetchPage: (cursor: Cursor) => Promise<Page<Item, Cursor>>) {
    this.cursor = cursor;
    this.#fetchPage = fetchPage;
  }

  get hasMore(): boolean {
    return this.cursor !== null;
  }

  loadMore = async (): Promise<void> => {
    const cursor = this.cursor;
    if (cursor === null || this.loading) return;
    this.loading = true;
    this.problem = null;
    try {
      const page = await this.#fetchPage(cursor);
      this.items = [...this.items, ...page.items];
      this.cursor = page.nextCursor;
    } catch (error) {
      this.problem = readApiError(error).message;
    } finally {
      this.loading = false;
    }
  };
}

import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import { boardInput, PAGE_LIMIT, parseSelection } from '#lib/leaderboards.ts';
import type { PageServerLoad } from './$types';

/** The board the address bar names, and the region tree for the scope picker (which may fail alone). */
export const load: PageServerLoad = async (event) => {
  const selection = parseSelection(event.url.searchParams);
  const api = serverApi(event);
  const [board, tree] = await Promise.allSettled([
    api.leaderboards.get.query(boardInput(selection, PAGE_LIMIT)),
    api.regions.tree.query(),
  ]);
  return {
    selection,
    board: settled(board),
    regions: tree.status === 'fulfilled' ? tree.value : null,
  };
};

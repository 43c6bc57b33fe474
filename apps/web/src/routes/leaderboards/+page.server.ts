import { boardInput, PAGE_LIMIT, parseSelection } from '#lib/leaderboards.ts';
import { serverApi } from '#lib/server/api.ts';
import { settled } from '#lib/server/load.ts';
import type { PageServerLoad } from './$types';

/**
 * The board the address bar names, the region tree for the scope picker and, for a signed-in visitor, whether they
 * hide from public boards. Only the board is essential; the others may fail alone.
 */
export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  const selection = parseSelection(event.url.searchParams);
  const api = serverApi(event);
  const [board, tree, visibility] = await Promise.allSettled([
    api.leaderboards.get.query(boardInput(selection, PAGE_LIMIT)),
    api.regions.tree.query(),
    me ? api.leaderboards.visibility.query() : Promise.resolve(null),
  ]);
  return {
    selection,
    board: settled(board),
    regions: tree.status === 'fulfilled' ? tree.value : null,
    hiddenFromBoards: visibility.status === 'fulfilled' && visibility.value ? visibility.value.hidden : null,
  };
};

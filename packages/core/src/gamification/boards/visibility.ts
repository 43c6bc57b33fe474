import { userLevels } from '@app/db/schema';
import { eq } from 'drizzle-orm';
import type { CoreDeps } from '../../kernel/deps.ts';

/** Whether the user hides from public boards (the setting's current state, for its checkbox). */
export async function boardVisibility(deps: CoreDeps, userId: string): Promise<{ hidden: boolean }> {
  const [row] = await deps.db
    .select({ hidden: userLevels.hiddenFromBoards })
    .from(userLevels)
    .where(eq(userLevels.userId, userId))
    .limit(1);
  return { hidden: row?.hidden ?? false };
}

import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createTestDeps, createTestUser, type TestDeps } from '../../testing.ts';
import { setBoardVisibility } from './read.ts';
import { boardVisibility } from './visibility.ts';

let deps: TestDeps;

beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.database.drop());

test('the hide-from-boards checkbox reads back what the user last chose (shown by default)', async () => {
  const { user } = await createTestUser(deps);
  expect(await boardVisibility(deps, user.id)).toEqual({ hidden: false });
  await setBoardVisibility(deps, user.id, true);
  expect(await boardVisibility(deps, user.id)).toEqual({ hidden: true });
  await setBoardVisibility(deps, user.id, false);
  expect(await boardVisibility(deps, user.id)).toEqual({ hidden: false });
});

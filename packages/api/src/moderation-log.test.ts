import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createTestDeps, createTestUser, type TestDeps } from '@app/core/testing';
import { moderationLogs } from '@app/db/schema';
import { count } from 'drizzle-orm';
import { callerFor, trpcRefusal } from './testing.ts';

let deps: TestDeps;
let staff: Awaited<ReturnType<typeof callerFor>>['caller'];
let mod: { id: string; username: string };
let troll: { id: string; username: string };
let other: { id: string; username: string };
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  deps = await createTestDeps();
  const moderator = await createTestUser(deps, { role: 'moderator', username: 'log_mod' });
  mod = moderator.user;
  troll = (await createTestUser(deps, { username: 'log_troll' })).user;
  other = (await createTestUser(deps, { username: 'log_other' })).user;
  staff = (await callerFor(deps, moderator.token)).caller;
  const entries = [
    { action: 'timeout', actorId: mod.id, targetUserId: troll.id, createdAt: at('2026-11-30T23:59:59.999Z') },
    {
      action: 'platform_ban',
      actorId: mod.id,
      targetUserId: troll.id,
      createdAt: at('2026-12-01T00:00:00.000Z'),
    },
    { action: 'timeout', actorId: mod.id, targetUserId: other.id, createdAt: at('2026-12-02T10:00:00.000Z') },
    {
      action: 'grant_tokens',
      actorId: null,
      targetUserId: other.id,
      createdAt: at('2026-12-03T10:00:00.000Z'),
    },
  ] as const;
  await deps.db.insert(moderationLogs).values(entries.map((entry) => ({ ...entry, reason: 'because' })));
});
afterAll(() => deps.database.drop());

const actions = async (input: Parameters<typeof staff.admin.moderationLog>[0]) =>
  (await staff.admin.moderationLog(input)).items.map((item) => `${item.action}:${item.targetUsername}`);

describe('admin.moderationLog', () => {
  test('filters by kind of action, by who acted and on whom, and by a period (its start in, its end out)', async () => {
    expect(await actions({ actions: ['timeout'] })).toEqual(['timeout:log_other', 'timeout:log_troll']);
    expect(await actions({ target: '@Log_Troll' })).toEqual(['platform_ban:log_troll', 'timeout:log_troll']);
    expect(await actions({ actor: 'log_mod', target: 'log_other' })).toEqual(['timeout:log_other']);
    expect(
      await actions({ from: at('2026-12-01T00:00:00.000Z'), to: at('2026-12-02T10:00:00.000Z') }),
    ).toEqual(['platform_ban:log_troll']);
    expect(await actions({ actor: 'nobody_at_all' })).toEqual([]);
  });

  test('pages by cursor through a filtered log without repeats', async () => {
    const first = await staff.admin.moderationLog({ actions: ['timeout', 'platform_ban'], limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await staff.admin.moderationLog({
      actions: ['timeout', 'platform_ban'],
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((item) => item.id)).toEqual([expect.any(Number)]);
    expect(second.nextCursor).toBeNull();
  });

  test('a filter that makes no sense is refused with a sentence, and writes nothing', async () => {
    const [before] = await deps.db.select({ n: count() }).from(moderationLogs);
    const unknown = await trpcRefusal(staff.admin.moderationLog({ actions: ['launch_missiles' as 'ban'] }));
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(unknown.message).toContain('not a kind of moderation action');
    const backwards = await trpcRefusal(
      staff.admin.moderationLog({ from: at('2026-12-02T00:00:00Z'), to: at('2026-12-01T00:00:00Z') }),
    );
    expect(backwards.code).toBe('BAD_REQUEST');
    expect(backwards.message).toContain('start of the period must be before its end');
    const [after] = await deps.db.select({ n: count() }).from(moderationLogs);
    expect(after!.n).toBe(before!.n);
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { channelBans, messages, moderationLogs, reports, users } from '@app/db/schema';
import { and, count, eq } from 'drizzle-orm';
import { sendChat } from '../chat/post.ts';
import { sendChatInput } from '../chat/schemas.ts';
import { createMemoryLimiters, DEFAULT_RATE_LIMITS } from '../infra/rate-limits.ts';
import type { DomainErrorCode } from '../kernel/errors.ts';
import type { Actor } from '../kernel/viewer.ts';
import { createTestDeps, createTestStream, createTestUser, refusal, type TestDeps } from '../testing.ts';
import { createReport, myReports } from './file.ts';
import { claimReport, listReports } from './queue.ts';
import { resolveReport } from './resolve.ts';
import { createReportInput, reportListInput, resolveReportInput } from './schemas.ts';

let deps: TestDeps;
beforeAll(async () => {
  deps = await createTestDeps({
    limiters: createMemoryLimiters({
      ...DEFAULT_RATE_LIMITS,
      chatByUser: { count: 1000, windowSeconds: 30 },
      reportByUser: { count: 3, windowSeconds: 60 * 60 },
    }),
  });
});
afterAll(() => deps.database.drop());

const say = async (userId: string, streamId: string, text: string) =>
  (
    await sendChat(
      deps,
      userId,
      sendChatInput.parse({ streamId, text, clientMessageId: crypto.randomUUID() }),
    )
  ).message.id;

/** A live room with a streamer, a troublemaker who said something, a viewer, a moderator and an admin. */
async function room() {
  const streamer = await createTestUser(deps, { role: 'streamer' });
  const troll = await createTestUser(deps);
  const viewer = await createTestUser(deps);
  const moderator = await createTestUser(deps, { role: 'moderator' });
  const admin = await createTestUser(deps, { role: 'admin' });
  const stream = await createTestStream(deps, streamer.user.id);
  const messageId = await say(troll.user.id, stream.id, 'buy followers at <b>spam.example</b>');
  return { streamer, troll, viewer, moderator, admin, stream, messageId };
}

const actor = (who: { user: { id: string; role: 'viewer' | 'streamer' | 'moderator' | 'admin' } }) => ({
  id: who.user.id,
  role: who.user.role,
});
const reportsOf = async (reporterId: string) =>
  (await deps.db.select({ n: count() }).from(reports).where(eq(reports.reporterId, reporterId)))[0]!.n;

describe('filing a report', () => {
  test('a chat line is reported with its text kept as it was, and the reporter sees it open', async () => {
    const { viewer, troll, stream, messageId } = await room();
    const filed = await createReport(
      deps,
      actor(viewer),
      createReportInput.parse({ kind: 'message', messageId, reason: 'spam', note: 'keeps posting this' }),
    );
    expect(filed.state).toBe('open');
    const [row] = await deps.db.select().from(reports).where(eq(reports.id, filed.id));
    expect(row).toMatchObject({
      kind: 'message',
      targetUserId: troll.user.id,
      streamId: stream.id,
      messageBody: 'buy followers at <b>spam.example</b>',
      note: 'keeps posting this',
    });
    const mine = await myReports(deps, actor(viewer), { limit: 25 });
    expect(mine.items.map((item) => [item.id, item.state, item.target?.username])).toEqual([
      [filed.id, 'open', troll.user.username],
    ]);
  });

  test('a second report of the same target while the first is open is refused in words, not stored', async () => {
    const { viewer, messageId } = await room();
    const input = createReportInput.parse({ kind: 'message', messageId, reason: 'spam' });
    await createReport(deps, actor(viewer), input);
    const again = await refusal(createReport(deps, actor(viewer), { ...input, reason: 'harassment' }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toContain('already reported this');
    expect(await reportsOf(viewer.user.id)).toBe(1);
  });

  test('two reports at once of the same target store one', async () => {
    const { viewer, stream } = await room();
    const input = createReportInput.parse({ kind: 'stream', streamId: stream.id, reason: 'violence' });
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => createReport(deps, actor(viewer), input)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(await reportsOf(viewer.user.id)).toBe(1);
  });

  test('yourself, your own line, your own stream, unknown targets and whispers are refused', async () => {
    const { streamer, troll, stream, messageId } = await room();
    const cases: Array<[Actor, unknown, DomainErrorCode]> = [
      [actor(troll), { kind: 'user', userId: troll.user.id, reason: 'spam' }, 'INVALID_INPUT'],
      [actor(troll), { kind: 'message', messageId, reason: 'spam' }, 'INVALID_INPUT'],
      [actor(streamer), { kind: 'stream', streamId: stream.id, reason: 'spam' }, 'INVALID_INPUT'],
      [actor(troll), { kind: 'user', userId: crypto.randomUUID(), reason: 'spam' }, 'NOT_FOUND'],
      [actor(troll), { kind: 'stream', streamId: crypto.randomUUID(), reason: 'spam' }, 'NOT_FOUND'],
      [actor(troll), { kind: 'message', messageId: 987_654_321, reason: 'spam' }, 'NOT_FOUND'],
    ];
    for (const [who, input, code] of cases) {
      expect((await refusal(createReport(deps, who, createReportInput.parse(input)))).code).toBe(code);
    }
    const [whisper] = await deps.db
      .insert(messages)
      .values({ kind: 'whisper', senderId: streamer.user.id, recipientId: troll.user.id, body: 'psst' })
      .returning({ id: messages.id });
    const input = createReportInput.parse({ kind: 'message', messageId: whisper!.id, reason: 'spam' });
    expect((await refusal(createReport(deps, actor(troll), input))).code).toBe('NOT_FOUND');
    expect(await reportsOf(troll.user.id)).toBe(0);
    expect(await reportsOf(streamer.user.id)).toBe(0);
  });

  test('a note over 1,000 characters or a reason off the list does not parse', () => {
    const base = { kind: 'user', userId: crypto.randomUUID() };
    const long = createReportInput.safeParse({ ...base, reason: 'spam', note: 'x'.repeat(1001) });
    expect(long.error?.issues[0]?.message).toBe('Keep the note to 1000 characters or fewer.');
    const reason = createReportInput.safeParse({ ...base, reason: 'boring' });
    expect(reason.error?.issues[0]?.message).toBe('Pick a reason from the list.');
  });

  test('reports are rate limited per reporter', async () => {
    const reporter = await createTestUser(deps);
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { user } = await createTestUser(deps);
      const input = createReportInput.parse({ kind: 'user', userId: user.id, reason: 'spam' });
      codes.push(
        await createReport(deps, actor(reporter), input).then(
          () => 'ok',
          (error) => error.code,
        ),
      );
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    expect(await reportsOf(reporter.user.id)).toBe(3);
  });
});

describe('the queue', () => {
  test('lists open reports oldest first, pages by cursor, and filters by kind; history is newest first', async () => {
    const { viewer, troll, stream, messageId, moderator } = await room();
    const other = await createTestUser(deps);
    const a = await createReport(deps, actor(viewer), { kind: 'message', messageId, reason: 'spam' });
    const b = await createReport(deps, actor(other), {
      kind: 'user',
      userId: troll.user.id,
      reason: 'other',
    });
    const c = await createReport(deps, actor(other), { kind: 'stream', streamId: stream.id, reason: 'spam' });
    const first = await listReports(deps, reportListInput.parse({ limit: 2 }));
    const queued = first.items.map((item) => item.id).filter((id) => [a.id, b.id, c.id].includes(id));
    expect(queued).toEqual([...queued].sort((x, y) => x - y));
    const all: number[] = [];
    let cursor: number | null = null;
    do {
      const page = await listReports(deps, reportListInput.parse({ limit: 2, cursor }));
      all.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toEqual([...all].sort((x, y) => x - y));
    expect(all).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    const messagesOnly = await listReports(deps, reportListInput.parse({ kind: 'message', limit: 100 }));
    expect(messagesOnly.items.every((item) => item.kind === 'message')).toBe(true);
    const shown = messagesOnly.items.find((item) => item.id === a.id)!;
    expect(shown.message?.body).toBe('buy followers at <b>spam.example</b>');
    expect(shown.stream?.title).toBe(stream.title);
    expect(shown.reporter?.username).toBe(viewer.user.username);

    await claimReport(deps, actor(moderator), { reportId: b.id, takeOver: false });
    await resolveReport(
      deps,
      actor(moderator),
      resolveReportInput.parse({ reportId: b.id, action: 'dismiss' }),
    );
    await claimReport(deps, actor(moderator), { reportId: c.id, takeOver: false });
    await resolveReport(
      deps,
      actor(moderator),
      resolveReportInput.parse({ reportId: c.id, action: 'dismiss' }),
    );
    const history = await listReports(deps, reportListInput.parse({ view: 'history', limit: 100 }));
    const closed = history.items.map((item) => item.id);
    expect(closed.indexOf(c.id)).toBeLessThan(closed.indexOf(b.id));
    expect(history.items.find((item) => item.id === b.id)?.state).toBe('dismissed');
  });

  test('one reviewer at a time; an admin takes over only when asked, and both claims are logged', async () => {
    const { viewer, messageId, moderator, admin } = await room();
    const second = await createTestUser(deps, { role: 'moderator' });
    const { id } = await createReport(deps, actor(viewer), { kind: 'message', messageId, reason: 'spam' });
    const claimed = await claimReport(deps, actor(moderator), { reportId: id, takeOver: false });
    expect(claimed).toMatchObject({ state: 'in_review', claimedBy: { id: moderator.user.id } });
    const refused = await refusal(claimReport(deps, actor(second), { reportId: id, takeOver: true }));
    expect(refused.message).toBe(
      `@${moderator.user.username} is reviewing that report. Only an admin can take it over.`,
    );
    const asked = await refusal(claimReport(deps, actor(admin), { reportId: id, takeOver: false }));
    expect(asked.message).toContain('Take it over');
    const taken = await claimReport(deps, actor(admin), { reportId: id, takeOver: true });
    expect(taken.claimedBy?.id).toBe(admin.user.id);
    expect(
      (await refusal(resolveReport(deps, actor(moderator), { reportId: id, action: 'dismiss' }))).code,
    ).toBe('CONFLICT');
    const logged = await deps.db
      .select({ actorId: moderationLogs.actorId, metadata: moderationLogs.metadata })
      .from(moderationLogs)
      .where(eq(moderationLogs.action, 'claim_report'));
    const mine = logged.filter((entry) => entry.metadata.reportId === id);
    expect(mine).toEqual([
      { actorId: moderator.user.id, metadata: { reportId: id } },
      { actorId: admin.user.id, metadata: { reportId: id, takenOverFrom: moderator.user.id } },
    ]);
  });
});

describe('resolving', () => {
  test('a timeout really times the sender out in that room, closes the report and every open duplicate', async () => {
    const { viewer, troll, stream, messageId, moderator } = await room();
    const other = await createTestUser(deps);
    const { id } = await createReport(deps, actor(viewer), { kind: 'message', messageId, reason: 'spam' });
    const duplicate = await createReport(deps, actor(other), {
      kind: 'message',
      messageId,
      reason: 'harassment',
    });
    await claimReport(deps, actor(moderator), { reportId: id, takeOver: false });
    const resolved = await resolveReport(
      deps,
      actor(moderator),
      resolveReportInput.parse({ reportId: id, action: 'timeout', timeoutSeconds: 600 }),
    );
    expect(resolved).toMatchObject({
      state: 'resolved',
      action: 'timeout',
      resolvedBy: { id: moderator.user.id },
    });
    const [ban] = await deps.db
      .select()
      .from(channelBans)
      .where(and(eq(channelBans.channelId, stream.streamerId), eq(channelBans.userId, troll.user.id)));
    expect(ban?.expiresAt).not.toBeNull();
    const refusedLine = await refusal(say(troll.user.id, stream.id, 'one more'));
    expect(refusedLine.reason).toBe('TIMED_OUT');
    const [dup] = await deps.db.select().from(reports).where(eq(reports.id, duplicate.id));
    expect(dup).toMatchObject({ state: 'resolved', action: 'timeout' });
    const [entry] = await deps.db
      .select()
      .from(moderationLogs)
      .where(and(eq(moderationLogs.action, 'resolve_report'), eq(moderationLogs.messageId, messageId)));
    expect(entry).toMatchObject({
      actorId: moderator.user.id,
      targetUserId: troll.user.id,
      durationSeconds: 600,
      metadata: { reportId: id, action: 'timeout', alsoClosed: [duplicate.id] },
    });
    const mine = await myReports(deps, actor(viewer), { limit: 25 });
    expect(mine.items[0]).toMatchObject({ state: 'resolved', action: 'timeout' });
  });

  test('deleting the message removes it for the room; a platform ban ends the account’s sign-in', async () => {
    const { viewer, troll, messageId, moderator } = await room();
    const { id } = await createReport(deps, actor(viewer), { kind: 'message', messageId, reason: 'spam' });
    await claimReport(deps, actor(moderator), { reportId: id, takeOver: false });
    await resolveReport(deps, actor(moderator), { reportId: id, action: 'delete_message' });
    const [line] = await deps.db.select().from(messages).where(eq(messages.id, messageId));
    expect(line?.deletedAt).not.toBeNull();

    const user = await createReport(deps, actor(viewer), {
      kind: 'user',
      userId: troll.user.id,
      reason: 'spam',
    });
    await claimReport(deps, actor(moderator), { reportId: user.id, takeOver: false });
    await resolveReport(deps, actor(moderator), {
      reportId: user.id,
      action: 'platform_ban',
      note: 'Spam bot',
    });
    const [account] = await deps.db.select().from(users).where(eq(users.id, troll.user.id));
    expect(account?.bannedAt).not.toBeNull();
    expect(account?.banReason).toBe('Spam bot');
  });

  test('an action that does not fit, or that the room refuses, leaves the report in review', async () => {
    const { viewer, stream, moderator, streamer } = await room();
    const { id } = await createReport(deps, actor(viewer), {
      kind: 'stream',
      streamId: stream.id,
      reason: 'spam',
    });
    await claimReport(deps, actor(moderator), { reportId: id, takeOver: false });
    const wrong = await refusal(
      resolveReport(deps, actor(moderator), { reportId: id, action: 'delete_message' }),
    );
    expect(wrong.message).toBe('Only a reported chat message can be deleted; pick another action.');
    const timeout = await refusal(
      resolveReport(deps, actor(moderator), { reportId: id, action: 'timeout', timeoutSeconds: 60 }),
    );
    expect(timeout.code).toBe('INVALID_INPUT');
    // A person reported from the room they own: the room refuses to time its own streamer out.
    const user = await createReport(deps, actor(viewer), {
      kind: 'user',
      userId: streamer.user.id,
      streamId: stream.id,
      reason: 'other',
    });
    await claimReport(deps, actor(moderator), { reportId: user.id, takeOver: false });
    const refused = await refusal(
      resolveReport(deps, actor(moderator), { reportId: user.id, action: 'timeout', timeoutSeconds: 60 }),
    );
    expect(refused.code).toBe('FORBIDDEN');
    const rows = await deps.db
      .select()
      .from(reports)
      .where(eq(reports.reporterId, viewer.user.id))
      .orderBy(reports.id);
    expect(rows.map((row) => [row.state, row.action])).toEqual([
      ['in_review', null],
      ['in_review', null],
    ]);
    const unclaimed = await createReport(deps, actor(viewer), {
      kind: 'user',
      userId: moderator.user.id,
      reason: 'other',
    });
    const notClaimed = await refusal(
      resolveReport(deps, actor(moderator), { reportId: unclaimed.id, action: 'dismiss' }),
    );
    expect(notClaimed.message).toBe('Claim the report before resolving it.');
  });

  test('a report about a staff member is for someone else to review', async () => {
    const { viewer, moderator } = await room();
    const { id } = await createReport(deps, actor(viewer), {
      kind: 'user',
      userId: moderator.user.id,
      reason: 'other',
    });
    const refused = await refusal(claimReport(deps, actor(moderator), { reportId: id, takeOver: false }));
    expect(refused.message).toBe('That report is about you; another staff member must review it.');
    const [row] = await deps.db.select().from(reports).where(eq(reports.id, id));
    expect(row?.state).toBe('open');
  });

  test('a moderator cannot ban staff through a report', async () => {
    const { viewer, moderator } = await room();
    const staff = await createTestUser(deps, { role: 'moderator' });
    const { id } = await createReport(deps, actor(viewer), {
      kind: 'user',
      userId: staff.user.id,
      reason: 'other',
    });
    await claimReport(deps, actor(moderator), { reportId: id, takeOver: false });
    const refused = await refusal(
      resolveReport(deps, actor(moderator), { reportId: id, action: 'platform_ban' }),
    );
    expect(refused.message).toBe('Only an admin can ban platform staff.');
    const [account] = await deps.db.select().from(users).where(eq(users.id, staff.user.id));
    expect(account?.bannedAt).toBeNull();
  });
});

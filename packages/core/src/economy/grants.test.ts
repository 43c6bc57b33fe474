import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ledgerAccounts, ledgerBalances, ledgerTransactions, moderationLogs } from '@app/db/schema';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { BusEvent } from '../kernel/ports.ts';
import {
  createTestDeps,
  createTestUser,
  HEALTHY_LEDGER,
  ledgerInvariants,
  type TestDeps,
} from '../testing.ts';
import { grantTokens, grantTokensInput } from './grants.ts';
import { transactionHistory, walletBalance } from './history.ts';

let deps: TestDeps;
let adminId: string;

beforeAll(async () => {
  deps = await createTestDeps();
  adminId = (await createTestUser(deps, { role: 'admin' })).user.id;
});
afterAll(async () => {
  expect(await ledgerInvariants(deps.db)).toEqual(HEALTHY_LEDGER);
  await deps.database.drop();
});

const key = () => crypto.randomUUID();

async function promotionsBalance(): Promise<number> {
  const [row] = await deps.db
    .select({ balance: sql<string>`coalesce(sum(${ledgerBalances.balance}), 0)` })
    .from(ledgerBalances)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerBalances.accountId))
    .where(and(eq(ledgerAccounts.kind, 'promotions'), isNull(ledgerAccounts.userId)));
  return Number(row?.balance ?? 0);
}

async function logsFor(userId: string) {
  return deps.db
    .select()
    .from(moderationLogs)
    .where(and(eq(moderationLogs.targetUserId, userId), eq(moderationLogs.action, 'grant_tokens')));
}

describe('grantTokens', () => {
  test('moves tokens from promotions to the wallet, logs who and why, and tells the user', async () => {
    const { user } = await createTestUser(deps);
    const before = await promotionsBalance();
    const heard: BusEvent[] = [];
    const stop = deps.bus.subscribe(`user:${user.id}`, (event) => heard.push(event));
    const granted = await grantTokens(deps, adminId, {
      userId: user.id,
      amountTokens: 500,
      reason: 'Compensation for the outage on Tuesday',
      idempotencyKey: key(),
    });
    stop();
    expect(granted).toMatchObject({ userId: user.id, amountTokens: 500, walletTokens: 500, replayed: false });
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(500);
    expect(await promotionsBalance()).toBe(before - 500);
    const [transaction] = await deps.db
      .select()
      .from(ledgerTransactions)
      .where(eq(ledgerTransactions.id, granted.transactionId));
    expect(transaction?.kind).toBe('grant');
    const history = await transactionHistory(deps, user.id, { limit: 10 });
    expect(history.items).toEqual([
      expect.objectContaining({ kind: 'grant', account: 'wallet', amountTokens: 500 }),
    ]);
    const logs = await logsFor(user.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      actorId: adminId,
      action: 'grant_tokens',
      reason: 'Compensation for the outage on Tuesday',
      metadata: { amountTokens: 500, ledgerTransactionId: granted.transactionId },
    });
    expect(heard).toContainEqual({ type: 'balance.changed', walletBalance: 500, reason: 'grant' });
  });

  test('the same key grants once: a retry moves nothing and logs nothing more', async () => {
    const { user } = await createTestUser(deps);
    const input = { userId: user.id, amountTokens: 300, reason: 'Welcome gift', idempotencyKey: key() };
    const first = await grantTokens(deps, adminId, input);
    const again = await grantTokens(deps, adminId, input);
    expect(again).toMatchObject({ transactionId: first.transactionId, replayed: true, walletTokens: null });
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(300);
    expect(await logsFor(user.id)).toHaveLength(1);
  });

  test('the same key for a different grant is a conflict and changes nothing', async () => {
    const { user } = await createTestUser(deps);
    const input = { userId: user.id, amountTokens: 300, reason: 'Welcome gift', idempotencyKey: key() };
    await grantTokens(deps, adminId, input);
    await expect(grantTokens(deps, adminId, { ...input, amountTokens: 3_000 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await walletBalance(deps, user.id)).walletTokens).toBe(300);
    expect(await logsFor(user.id)).toHaveLength(1);
  });

  test('refuses a grant to yourself, to a banned user and to nobody, moving nothing', async () => {
    const { user: banned } = await createTestUser(deps, { banned: true });
    const before = await promotionsBalance();
    const grant = (userId: string) =>
      grantTokens(deps, adminId, { userId, amountTokens: 10, reason: 'Testing', idempotencyKey: key() });
    await expect(grant(adminId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'You cannot grant tokens to yourself; ask another admin.',
    });
    await expect(grant(banned.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(grant(crypto.randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await promotionsBalance()).toBe(before);
    expect((await walletBalance(deps, banned.id)).walletTokens).toBe(0);
    expect(await logsFor(banned.id)).toHaveLength(0);
  });
});

describe('grantTokensInput', () => {
  const valid = {
    userId: crypto.randomUUID(),
    amountTokens: 100,
    reason: 'Support case 1234',
    idempotencyKey: crypto.randomUUID(),
  };
  const messageOf = (input: Record<string, unknown>) => {
    const parsed = grantTokensInput.safeParse({ ...valid, ...input });
    return parsed.success ? null : parsed.error.issues[0]?.message;
  };

  test('a reason is required, as a sentence that says why', () => {
    expect(messageOf({ reason: '' })).toBe(
      'Say why these tokens are granted (it is written to the moderation log).',
    );
    expect(messageOf({ reason: '\u200b\u200b\u200b' })).toBe(
      'Say why these tokens are granted (it is written to the moderation log).',
    );
    expect(messageOf({ reason: 'ok' })).toBe('Say why these tokens are granted (at least 3 characters).');
    expect(messageOf({ reason: 'a\u0000bc' })).toMatch(/^The reason/);
  });

  test('the amount is a positive whole number of at most 1,000,000 tokens', () => {
    expect(messageOf({ amountTokens: 0 })).toBe('Grant at least 1 token.');
    expect(messageOf({ amountTokens: -5 })).toBe('Grant at least 1 token.');
    expect(messageOf({ amountTokens: 2.5 })).toBe('Grants are whole tokens.');
    expect(messageOf({ amountTokens: 1_000_001 })).toBe('A single grant can be at most 1,000,000 tokens.');
    expect(messageOf({ amountTokens: 1_000_000 })).toBeNull();
  });
});

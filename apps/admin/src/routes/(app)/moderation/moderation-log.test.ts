import { describe, expect, test } from 'bun:test';
import {
  ACTION_BADGES,
  ACTION_FILTERS,
  actionsOf,
  channelLabel,
  describeChatSettings,
  describeEntry,
  entryText,
  type LogAction,
  type LogEntry,
  parseActionFilter,
  resolveChannelNames,
} from './moderation-log.ts';

const MAYA = '00000000-0000-4000-8000-000000000001';
const SPAMMER = '00000000-0000-4000-8000-000000000002';
const LUNA = '00000000-0000-4000-8000-000000000003';

function entry(overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    id: 1,
    action: 'timeout',
    reason: null,
    durationSeconds: null,
    channelId: LUNA,
    streamId: null,
    messageId: null,
    metadata: {},
    createdAt: new Date('2026-03-03T12:00:00Z'),
    actorId: MAYA,
    actorUsername: 'maya_reads',
    targetUserId: SPAMMER,
    targetUsername: 'spammer42',
    targetAnonymous: false,
    ...overrides,
  };
}

const ALL_ACTIONS = Object.keys(ACTION_BADGES) as LogAction[];

describe('entryText', () => {
  test('reads as a sentence with the duration and the reason', () => {
    expect(entryText(entry({ durationSeconds: 600, reason: 'caps' }))).toBe(
      'maya_reads timed out spammer42 for 10 min — reason: caps',
    );
  });

  test('a timeout the log kept no length for says none', () => {
    expect(entryText(entry({ durationSeconds: null }))).toBe('maya_reads timed out spammer42');
    expect(entryText(entry({ durationSeconds: 0 }))).toBe('maya_reads timed out spammer42');
  });

  test('platform bans name the platform; a missing reason adds nothing', () => {
    expect(
      entryText(
        entry({
          action: 'platform_ban',
          channelId: null,
          actorUsername: 'admin',
          targetUsername: 'oskar_nord',
          reason: 'Ban evasion',
        }),
      ),
    ).toBe('admin banned oskar_nord from Lumen — reason: Ban evasion');
    expect(entryText(entry({ action: 'platform_unban', actorUsername: 'admin' }))).toBe(
      'admin lifted the platform ban on spammer42',
    );
  });

  test('deleted accounts still make a sentence', () => {
    expect(entryText(entry({ action: 'ban', actorUsername: null, targetUsername: null }))).toBe(
      'A deleted account banned a deleted account from the channel',
    );
  });

  test('an anonymous tip’s sender reads as anonymous unless named; an admin’s look at them says how many', () => {
    const deleted = { action: 'delete_message' as const, targetAnonymous: true };
    expect(entryText(entry({ ...deleted, targetUserId: null, targetUsername: null }))).toBe(
      'maya_reads deleted a message by an anonymous tipper',
    );
    expect(entryText(entry(deleted))).toBe('maya_reads deleted a message by spammer42');
    expect(
      entryText(
        entry({ action: 'reveal_anonymous_tipper', metadata: { messageIds: [4, 9] }, targetUserId: null }),
      ),
    ).toBe('maya_reads saw who sent 2 anonymous tips');
  });

  test('removing a user’s recent messages says how many went', () => {
    const purge = (messageIds: number[]) =>
      entryText(
        entry({ action: 'delete_message', messageId: null, metadata: { messageIds, recentSeconds: 600 } }),
      );
    expect(purge([3, 5, 8])).toBe('maya_reads removed 3 recent messages by spammer42');
    expect(purge([3])).toBe('maya_reads removed 1 recent message by spammer42');
  });

  test('a token grant names who gave how many to whom; the demo seed’s grants come from the platform', () => {
    const grant = { action: 'grant_tokens' as const, channelId: null, metadata: { amountTokens: 5000 } };
    expect(entryText(entry({ ...grant, reason: 'Outage' }))).toBe(
      'maya_reads granted spammer42 5,000 tokens — reason: Outage',
    );
    expect(entryText(entry({ ...grant, actorId: null, actorUsername: null }))).toBe(
      'The platform granted spammer42 5,000 tokens',
    );
    expect(actionsOf('grants')).toContain('grant_tokens');
  });

  test('a word filter change says whose list and how many words moved, never the words', () => {
    const change = {
      action: 'update_filters' as const,
      channelId: null,
      metadata: {
        scope: 'platform',
        added: [{ word: 'grape', mode: 'mask' }],
        removed: [],
        modeChanged: [{ word: 'kiwi', mode: 'block' }],
        englishPreset: { from: null, to: 'mask' },
      },
    };
    expect(entryText(entry(change))).toBe(
      'maya_reads changed the platform’s word filters: 1 added, 1 switched, English list on (mask)',
    );
    expect(entryText(entry(change))).not.toContain('grape');
    expect(
      entryText(entry({ ...change, metadata: { scope: 'room', added: [], removed: [], modeChanged: [] } })),
    ).toBe('maya_reads saved the room’s word filters unchanged');
    expect(actionsOf('settings')).toContain('update_filters');
  });

  test('chat settings and role changes say what changed', () => {
    expect(
      entryText(
        entry({
          action: 'set_chat_mode',
          metadata: { chatMode: 'followers', slowModeSeconds: 30, linksAllowed: false },
        }),
      ),
    ).toBe('maya_reads changed the chat settings: followers-only chat, slow mode 30 s, links blocked');
    expect(entryText(entry({ action: 'set_chat_mode', metadata: {} }))).toBe(
      'maya_reads changed the chat settings',
    );
    expect(entryText(entry({ action: 'role_change', metadata: { from: 'viewer', to: 'streamer' } }))).toBe(
      'maya_reads changed the role of spammer42 from viewer to streamer',
    );
    expect(entryText(entry({ action: 'role_change', metadata: { to: '<b>root</b>' } }))).toBe(
      'maya_reads changed the role of spammer42',
    );
  });

  test('every action has a sentence, a badge and a filter, and marks only usernames as users', () => {
    for (const action of ALL_ACTIONS) {
      const parts = describeEntry(entry({ action }));
      expect(parts[0]).toEqual({ text: 'maya_reads', user: true });
      expect(parts.map((part) => part.text).join('')).not.toContain('took a moderation action');
      for (const part of parts.filter((part) => part.user)) {
        expect(['maya_reads', 'spammer42']).toContain(part.text);
      }
      // Exactly one filter besides "All actions" (which asks for every action) groups it.
      expect(ACTION_FILTERS.filter((filter) => actionsOf(filter.value).includes(action))).toHaveLength(1);
    }
  });
});

describe('describeChatSettings', () => {
  test('turning slow mode off and allowing links are said plainly', () => {
    expect(describeChatSettings({ slowModeSeconds: 0, linksAllowed: true })).toBe(
      'slow mode off, links allowed',
    );
    expect(describeChatSettings({ slowModeSeconds: -5 })).toBe('slow mode off');
    expect(describeChatSettings({ chatMode: 'nonsense', slowModeSeconds: '5' })).toBe('');
  });
});

describe('action filters', () => {
  test('parse from the address bar, all by default', () => {
    expect(parseActionFilter('platform')).toBe('platform');
    expect(parseActionFilter(null)).toBe('all');
    expect(parseActionFilter('drop table')).toBe('all');
  });

  test('group the actions; "All actions" asks for every one', () => {
    expect(actionsOf('platform')).toContain('platform_ban');
    expect(actionsOf('channel')).toContain('timeout');
    expect(actionsOf('platform')).not.toContain('timeout');
    expect(actionsOf('all')).toEqual([]);
  });
});

describe('channel names', () => {
  test('come from the entries first, then one look-up per unknown channel', async () => {
    const asked: string[] = [];
    const items = [
      entry({ id: 3, channelId: MAYA }),
      entry({ id: 2, channelId: LUNA }),
      entry({ id: 1, channelId: LUNA }),
      entry({ id: 0, channelId: null, action: 'platform_ban' }),
      entry({ id: 4, channelId: SPAMMER, actorId: LUNA, targetUserId: MAYA }),
    ];
    const names = await resolveChannelNames(items, {}, async (id) => {
      asked.push(id);
      return id === LUNA ? 'luna_sings' : null;
    });
    expect(asked.sort()).toEqual([LUNA, SPAMMER].sort());
    expect(names).toEqual({ [MAYA]: 'maya_reads', [LUNA]: 'luna_sings' });

    asked.length = 0;
    await resolveChannelNames(items, names, async (id) => {
      asked.push(id);
      return null;
    });
    expect(asked).toEqual([SPAMMER]);
  });

  test('label where an entry happened', () => {
    expect(channelLabel({ channelId: null }, {})).toBe('Platform-wide');
    expect(channelLabel({ channelId: LUNA }, { [LUNA]: 'luna_sings' })).toBe('Channel: @luna_sings');
    expect(channelLabel({ channelId: LUNA }, {})).toBe('Channel 00000000…');
  });
});

import { describe, expect, test } from 'bun:test';
import {
  applyMessageEvent,
  type ChatMessage,
  feedEvents,
  goalPercent,
  keepNewest,
  mentions,
  mergeMessages,
  mergeWhispers,
  messageSegments,
  moderationActions,
  newClientMessageId,
  reactionCounts,
  restrictionText,
  type StreamEvent,
  settingsNotices,
  type WhisperView,
} from './chat.ts';

const STREAM = '00000000-0000-4000-8000-000000000001';

function message(id: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    type: 'chat.message',
    id,
    streamId: STREAM,
    kind: 'chat',
    text: `message ${id}`,
    sender: {
      id: `user-${id}`,
      username: `user${id}`,
      displayName: `User ${id}`,
      avatarUrl: null,
      badges: [],
    },
    tip: null,
    createdAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
    ...overrides,
  };
}

const ids = (messages: ChatMessage[]) => messages.map((item) => item.id);

describe('mergeMessages', () => {
  test('keeps each message once, oldest first, whatever order they arrive in', () => {
    const merged = mergeMessages([message(3), message(1)], [message(2), message(3), message(5), message(1)]);
    expect(ids(merged)).toEqual([1, 2, 3, 5]);
  });

  test('a live copy does not wipe the reaction counts history gave', () => {
    const fromHistory = message(7, { reactions: { '🔥': 2 } });
    const live = message(7);
    delete live.reactions;
    expect(mergeMessages([fromHistory], [live])[0]?.reactions).toEqual({ '🔥': 2 });
  });

  test('any interleaving of history pages and live events gives the same list (invariant)', () => {
    const all = Array.from({ length: 60 }, (_, index) => message(index + 1));
    for (let run = 0; run < 200; run++) {
      let list: ChatMessage[] = [];
      const shuffled = [...all, ...all.slice(0, 20)].sort(() => Math.random() - 0.5);
      for (let index = 0; index < shuffled.length; index += 7) {
        list = mergeMessages(list, shuffled.slice(index, index + 7));
      }
      expect(ids(list)).toEqual(ids(all));
    }
  });
});

describe('applyMessageEvent', () => {
  const list = [message(1), message(2, { reactions: { '👍': 1 } }), message(3)];

  test('a new message is added once (history and feed can both bring it)', () => {
    const once = applyMessageEvent(list, message(4));
    expect(ids(applyMessageEvent(once, message(4)))).toEqual([1, 2, 3, 4]);
  });

  test('a deleted message vanishes; deleting an unknown one changes nothing', () => {
    expect(ids(applyMessageEvent(list, { type: 'chat.deleted', streamId: STREAM, messageId: 2 }))).toEqual([
      1, 3,
    ]);
    expect(applyMessageEvent(list, { type: 'chat.deleted', streamId: STREAM, messageId: 99 })).toBe(list);
  });

  test('a reaction sets the count; zero removes it', () => {
    const reacted = applyMessageEvent(list, {
      type: 'chat.reaction',
      streamId: STREAM,
      messageId: 2,
      emoji: '🔥',
      count: 3,
    });
    expect(reacted[1]?.reactions).toEqual({ '👍': 1, '🔥': 3 });
    const cleared = applyMessageEvent(reacted, {
      type: 'chat.reaction',
      streamId: STREAM,
      messageId: 2,
      emoji: '👍',
      count: 0,
    });
    expect(cleared[1]?.reactions).toEqual({ '🔥': 3 });
    // The other messages are the same objects (Svelte re-renders only the changed line).
    expect(cleared[0]).toBe(list[0]!);
  });

  test('events that are not about messages leave the list alone', () => {
    const event: StreamEvent = { type: 'stream.viewers', streamId: STREAM, count: 4 };
    expect(applyMessageEvent(list, event)).toBe(list);
  });
});

test('feedEvents reads a batch, or a single event as a batch of one', () => {
  const viewers: StreamEvent = { type: 'stream.viewers', streamId: STREAM, count: 2 };
  expect(feedEvents([viewers, message(1)])).toEqual([viewers, message(1)]);
  expect(feedEvents(viewers)).toEqual([viewers]);
});

test('keepNewest drops the oldest and says where "Load older" picks up', () => {
  const list = Array.from({ length: 10 }, (_, index) => message(index + 1));
  expect(keepNewest(list, 10)).toEqual({ messages: list, cursor: null });
  const kept = keepNewest(list, 4);
  expect(ids(kept.messages)).toEqual([7, 8, 9, 10]);
  expect(kept.cursor).toBe(7);
});

test('reactionCounts lists reactions in the picker order, without zeros', () => {
  expect(reactionCounts({ reactions: { '👏': 1, '👍': 4, '😂': 0 } })).toEqual([
    { emoji: '👍', count: 4 },
    { emoji: '👏', count: 1 },
  ]);
  expect(reactionCounts({})).toEqual([]);
});

describe('messageSegments', () => {
  const join = (text: string, linksAllowed: boolean) =>
    messageSegments(text, { linksAllowed, me: 'maya_reads' })
      .map((segment) => segment.text)
      .join('');

  test('markup stays text: a script payload is one text segment, exactly as written', () => {
    const payload = '<script>window.__pwned=1</script><img src=x onerror=alert(1)>';
    expect(messageSegments(payload, { linksAllowed: true })).toEqual([{ kind: 'text', text: payload }]);
  });

  test('links are links only when the room allows them, and only http(s)', () => {
    const text = 'see https://example.com/a?b=1, or javascript:alert(1) and ftp://x.y';
    const allowed = messageSegments(text, { linksAllowed: true });
    expect(allowed.filter((segment) => segment.kind === 'link')).toEqual([
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
    ]);
    expect(messageSegments(text, { linksAllowed: false })).toEqual([{ kind: 'text', text }]);
  });

  test('punctuation around a link is not part of it, brackets the URL opened are', () => {
    const links = (text: string) =>
      messageSegments(text, { linksAllowed: true }).flatMap((segment) =>
        segment.kind === 'link' ? [segment.text] : [],
      );
    expect(links('(look: http://a.io/x).')).toEqual(['http://a.io/x']);
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)!')).toEqual([
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
    expect(links('"https://a.io/q?x=1"')).toEqual(['https://a.io/q?x=1']);
  });

  test('mentions are found and the signed-in user’s own stands out (any case)', () => {
    const segments = messageSegments('hi @Maya_Reads and @luna_sings!', {
      linksAllowed: false,
      me: 'maya_reads',
    });
    expect(segments).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@Maya_Reads', username: 'maya_reads', self: true },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@luna_sings', username: 'luna_sings', self: false },
      { kind: 'text', text: '!' },
    ]);
  });

  test('an email address or a too-short name is not a mention; a mention inside a URL is part of the URL', () => {
    const kinds = (text: string) =>
      messageSegments(text, { linksAllowed: true }).map((segment) => segment.kind);
    expect(kinds('mail me at maya@example.com')).toEqual(['text']);
    expect(kinds('@ab is too short')).toEqual(['text']);
    expect(kinds('https://x.com/@maya_reads')).toEqual(['link']);
  });

  test('the segments always spell the original text (invariant)', () => {
    const pieces = [
      'hi',
      ' ',
      '@maya_reads',
      'https://a.io/x',
      '.',
      '(',
      ')',
      '<b>',
      '@',
      'é',
      '\n',
      'http://',
      '@@x_y',
    ];
    for (let run = 0; run < 500; run++) {
      const text = Array.from({ length: 12 }, () => pieces[Math.floor(Math.random() * pieces.length)]).join(
        '',
      );
      expect(join(text, true)).toBe(text);
      expect(join(text, false)).toBe(text);
    }
  });
});

test('mentions() tells whether a message names the user', () => {
  expect(mentions('hey @MAYA_READS', 'maya_reads')).toBe(true);
  expect(mentions('hey @maya_reads2', 'maya_reads')).toBe(false);
  expect(mentions('hey @maya_reads', null)).toBe(false);
});

test('client message ids are fresh and match what the API accepts', () => {
  const seen = new Set<string>();
  for (let index = 0; index < 100; index++) {
    const id = newClientMessageId();
    expect(id).toMatch(/^[\w-]{8,64}$/);
    seen.add(id);
  }
  expect(seen.size).toBe(100);
});

test('settingsNotices says what limits the chat', () => {
  const base = { type: 'chat.settings' as const, streamId: STREAM, linksAllowed: false };
  expect(settingsNotices({ ...base, chatMode: 'everyone', slowModeSeconds: 0 })).toEqual([]);
  expect(settingsNotices({ ...base, chatMode: 'followers', slowModeSeconds: 30 })).toEqual([
    'Followers-only chat: follow the streamer to chat.',
    'Slow mode: one message every 30 s.',
  ]);
  expect(settingsNotices({ ...base, chatMode: 'verified', slowModeSeconds: 0 })).toHaveLength(1);
});

describe('moderationActions', () => {
  const moderator = { canModerate: true, userId: 'mod-1' };

  test('nothing for viewers who may not moderate', () => {
    expect(moderationActions(message(1), { canModerate: false, userId: 'x' })).toEqual({
      menu: false,
      restrict: false,
    });
  });

  test('never for the streamer’s or staff’s lines', () => {
    for (const badge of ['streamer', 'admin', 'staff'] as const) {
      const line = message(1, { sender: { ...message(1).sender!, badges: ['moderator', badge] } });
      expect(moderationActions(line, moderator).menu).toBe(false);
    }
  });

  test('delete and restrict others; only delete their own lines and anonymous tips', () => {
    expect(moderationActions(message(1), moderator)).toEqual({ menu: true, restrict: true });
    const own = message(2, { sender: { ...message(2).sender!, id: 'mod-1', badges: ['moderator'] } });
    expect(moderationActions(own, moderator)).toEqual({ menu: true, restrict: false });
    expect(moderationActions(message(3, { kind: 'tip', sender: null }), moderator)).toEqual({
      menu: true,
      restrict: false,
    });
  });
});

test('restrictionText counts down a timeout and names a ban', () => {
  const now = 1_700_000_000_000;
  expect(restrictionText({ until: now + 598_000, reason: 'spam' }, now)).toBe(
    'You are timed out for 9 min 58 s. Reason: spam',
  );
  expect(restrictionText({ until: null, reason: null }, now)).toBe('You are banned from this chat.');
});

test('goalPercent stays within 0–100', () => {
  expect(goalPercent({ progressTokens: 250, targetTokens: 1000 })).toBe(25);
  expect(goalPercent({ progressTokens: 5000, targetTokens: 1000 })).toBe(100);
  expect(goalPercent({ progressTokens: 0, targetTokens: 0 })).toBe(100);
});

test('mergeWhispers keeps each whisper once, oldest first', () => {
  const whisper = (id: number): WhisperView => ({
    id,
    fromUserId: 'a',
    toUserId: 'b',
    text: `w${id}`,
    createdAt: new Date(id * 1000).toISOString(),
    readAt: null,
    from: { id: 'a', username: 'aaa', displayName: 'A', avatarUrl: null },
  });
  expect(mergeWhispers([whisper(2), whisper(1)], [whisper(3), whisper(2)]).map((item) => item.id)).toEqual([
    1, 2, 3,
  ]);
});

import type { RouterOutputs } from '@app/api';
import { type ApiProblem, formatDuration } from '@app/api/client';
import { ROLE_LABELS, type Role } from '#lib/roles.ts';

export type LogEntry = RouterOutputs['admin']['moderationLog']['items'][number];
export type LogAction = LogEntry['action'];
/** Channel (streamer) ids to usernames, for the entries' "Channel: @name" line. */
export type ChannelNames = Record<string, string>;

/** The first page of the log as the load streams it in. */
export type LogResult =
  | { ok: true; items: LogEntry[]; nextCursor: number | null; channels: ChannelNames }
  | { ok: false; problem: ApiProblem };

/** `depends()` key of the log load, so Refresh re-runs only that query. */
export const LOG_DEPENDENCY = 'admin:moderation-log';
/** Entries per page; "Load more" fetches older ones in the browser. */
export const LOG_PAGE_SIZE = 50;

/** One piece of an entry's sentence; usernames are marked so the page can set them apart. */
export interface LinePart {
  text: string;
  user?: true;
}

const CHAT_MODES: Record<string, string> = {
  everyone: 'everyone may chat',
  followers: 'followers-only chat',
  verified: 'verified-only chat',
};

/** What a `set_chat_mode` entry changed, from its metadata: "followers-only chat, slow mode 30 s". */
export function describeChatSettings(metadata: Record<string, unknown>): string {
  const changes: string[] = [];
  const mode = metadata.chatMode;
  if (typeof mode === 'string' && CHAT_MODES[mode]) changes.push(CHAT_MODES[mode]);
  const slow = metadata.slowModeSeconds;
  if (typeof slow === 'number')
    changes.push(slow > 0 ? `slow mode ${formatDuration(slow)}` : 'slow mode off');
  const links = metadata.linksAllowed;
  if (typeof links === 'boolean') changes.push(links ? 'links allowed' : 'links blocked');
  return changes.join(', ');
}

function roleName(value: unknown): string | null {
  return typeof value === 'string' && value in ROLE_LABELS ? ROLE_LABELS[value as Role].toLowerCase() : null;
}

/** " from viewer to streamer", " to streamer", or nothing when the metadata does not say. */
function roleChange(metadata: Record<string, unknown>): string {
  const to = roleName(metadata.to ?? metadata.role);
  if (!to) return '';
  const from = roleName(metadata.from);
  return from ? ` from ${from} to ${to}` : ` to ${to}`;
}

function person(username: string | null, startsSentence = false, anonymous = false): LinePart {
  // An anonymous tip's sender is named to admins only; everyone else gets the entry without them.
  if (!username && anonymous) return { text: startsSentence ? 'An anonymous tipper' : 'an anonymous tipper' };
  // The log keeps entries of deleted accounts (their id is set to null), so some names are gone.
  if (!username) return { text: startsSentence ? 'A deleted account' : 'a deleted account' };
  return { text: username, user: true };
}

/** An entry as a sentence: "maya_reads timed out spammer42 for 10 min". */
export function describeEntry(entry: LogEntry): LinePart[] {
  const actor = person(entry.actorUsername, true);
  const target = person(entry.targetUsername, false, entry.targetAnonymous);
  const words = (text: string): LinePart => ({ text });
  switch (entry.action) {
    case 'delete_message': {
      // "Remove their recent messages" on a timeout or ban: one entry for all the lines it removed.
      const removed = Array.isArray(entry.metadata.messageIds) ? entry.metadata.messageIds.length : null;
      if (removed === null) return [actor, words(' deleted a message by '), target];
      return [
        actor,
        words(` removed ${removed === 1 ? '1 recent message' : `${removed} recent messages`} by `),
        target,
      ];
    }
    case 'timeout':
      return entry.durationSeconds
        ? [actor, words(' timed out '), target, words(` for ${formatDuration(entry.durationSeconds)}`)]
        : [actor, words(' timed out '), target];
    case 'ban':
      return [actor, words(' banned '), target, words(' from the channel')];
    case 'unban':
      return [actor, words(' lifted the channel ban or timeout on '), target];
    case 'platform_ban':
      return [actor, words(' banned '), target, words(' from Lumen')];
    case 'platform_unban':
      return [actor, words(' lifted the platform ban on '), target];
    case 'set_chat_mode': {
      const changes = describeChatSettings(entry.metadata);
      return [
        actor,
        words(changes ? ` changed the chat settings: ${changes}` : ' changed the chat settings'),
      ];
    }
    case 'add_moderator':
      return [actor, words(' made '), target, words(' a channel moderator')];
    case 'remove_moderator':
      return [actor, words(' removed '), target, words(' as a channel moderator')];
    case 'role_change':
      return [actor, words(' changed the role of '), target, words(roleChange(entry.metadata))];
    case 'grant_tokens': {
      const tokens = typeof entry.metadata.amountTokens === 'number' ? entry.metadata.amountTokens : null;
      // The demo seed grants with no admin behind it.
      const giver = entry.actorId ? actor : words('The platform');
      const amount = tokens === null ? ' tokens' : ` ${tokens.toLocaleString('en-US')} tokens`;
      return [giver, words(' granted '), target, words(amount)];
    }
    case 'reveal_anonymous_tipper': {
      const lines = Array.isArray(entry.metadata.messageIds) ? entry.metadata.messageIds.length : 0;
      return [
        actor,
        words(lines === 1 ? ' saw who sent an anonymous tip' : ` saw who sent ${lines} anonymous tips`),
      ];
    }
    case 'claim_report': {
      const report = typeof entry.metadata.reportId === 'number' ? ` #${entry.metadata.reportId}` : '';
      const over = entry.metadata.takenOverFrom ? ' (taking it over)' : '';
      return [actor, words(` took report${report}${over}, about `), target];
    }
    case 'resolve_report': {
      const report = typeof entry.metadata.reportId === 'number' ? ` #${entry.metadata.reportId}` : '';
      const outcome = REPORT_OUTCOMES[String(entry.metadata.action)] ?? 'closed';
      return [actor, words(` ${outcome} report${report} about `), target];
    }
    case 'update_filters':
      return [actor, words(` ${describeFilterChange(entry.metadata)}`)];
    default:
      return [actor, words(' took a moderation action')];
  }
}

/** How a `resolve_report` entry's outcome reads: "dismissed report #12", "resolved (timeout) report #12". */
const REPORT_OUTCOMES: Record<string, string> = {
  dismiss: 'dismissed',
  delete_message: 'resolved (message deleted)',
  timeout: 'resolved (timeout)',
  platform_ban: 'resolved (platform ban)',
};

/** "changed the platform's word filters: 2 added, 1 removed". */
function describeFilterChange(metadata: Record<string, unknown>): string {
  const whose = metadata.scope === 'platform' ? 'the platform’s word filters' : 'the room’s word filters';
  const counted = (key: string, label: string) => {
    const list = metadata[key];
    return Array.isArray(list) && list.length > 0 ? `${list.length} ${label}` : null;
  };
  const parts = [
    counted('added', 'added'),
    counted('removed', 'removed'),
    counted('modeChanged', 'switched'),
  ];
  const preset = metadata.englishPreset as { from?: unknown; to?: unknown } | undefined;
  if (preset && preset.from !== preset.to) {
    parts.push(preset.to ? `English list on (${String(preset.to)})` : 'English list off');
  }
  const said = parts.filter((part) => part !== null);
  return said.length > 0 ? `changed ${whose}: ${said.join(', ')}` : `saved ${whose} unchanged`;
}

/** The whole line as text, reason included: "maya_reads timed out spammer42 for 10 min — reason: caps". */
export function entryText(entry: LogEntry): string {
  const sentence = describeEntry(entry)
    .map((part) => part.text)
    .join('');
  return entry.reason ? `${sentence} — reason: ${entry.reason}` : sentence;
}

/** Where it happened: a named channel, a channel whose streamer cannot be shown, or the whole platform. */
export function channelLabel(entry: Pick<LogEntry, 'channelId'>, channels: ChannelNames): string {
  if (!entry.channelId) return 'Platform-wide';
  const name = channels[entry.channelId];
  return name ? `Channel: @${name}` : `Channel ${entry.channelId.slice(0, 8)}…`;
}

export const ACTION_BADGES: Record<
  LogAction,
  { label: string; kind?: 'warning' | 'accent' | 'success' | 'danger' }
> = {
  delete_message: { label: 'Message deleted' },
  timeout: { label: 'Timeout', kind: 'warning' },
  ban: { label: 'Channel ban', kind: 'danger' },
  unban: { label: 'Channel unban', kind: 'success' },
  platform_ban: { label: 'Platform ban', kind: 'danger' },
  platform_unban: { label: 'Platform unban', kind: 'success' },
  set_chat_mode: { label: 'Chat settings', kind: 'accent' },
  add_moderator: { label: 'Moderator added', kind: 'accent' },
  remove_moderator: { label: 'Moderator removed' },
  role_change: { label: 'Role change', kind: 'accent' },
  reveal_anonymous_tipper: { label: 'Anonymous tipper shown', kind: 'warning' },
  grant_tokens: { label: 'Tokens granted', kind: 'accent' },
  claim_report: { label: 'Report claimed' },
  resolve_report: { label: 'Report closed', kind: 'success' },

  update_filters: { label: 'Word filters', kind: 'accent' },
};

export type ActionFilter =
  | 'all'
  | 'platform'
  | 'channel'
  | 'messages'
  | 'settings'
  | 'grants'
  | 'staff'
  | 'reports';

/** The filter's choices; each groups the actions a moderator looks for together. */
export const ACTION_FILTERS: readonly {
  value: ActionFilter;
  label: string;
  actions: readonly LogAction[];
}[] = [
  { value: 'all', label: 'All actions', actions: [] },
  { value: 'platform', label: 'Platform bans', actions: ['platform_ban', 'platform_unban'] },
  { value: 'channel', label: 'Channel bans and timeouts', actions: ['ban', 'unban', 'timeout'] },
  {
    value: 'messages',
    label: 'Messages and tips',
    actions: ['delete_message', 'reveal_anonymous_tipper'],
  },
  { value: 'settings', label: 'Chat settings', actions: ['set_chat_mode', 'update_filters'] },
  { value: 'grants', label: 'Token grants', actions: ['grant_tokens'] },
  {
    value: 'staff',
    label: 'Moderators',
    actions: ['add_moderator', 'remove_moderator', 'role_change'],
  },
  { value: 'reports', label: 'Reports', actions: ['claim_report', 'resolve_report'] },
];

/** `?action=` from the address bar; every action when missing or unknown. */
export function parseActionFilter(value: string | null | undefined): ActionFilter {
  return ACTION_FILTERS.find((filter) => filter.value === value)?.value ?? 'all';
}

/** The actions a filter asks the API for; none (every action) for "All actions". */
export function actionsOf(filter: ActionFilter): LogAction[] {
  return [...(ACTION_FILTERS.find((choice) => choice.value === filter)?.actions ?? [])];
}

/** Channel names the entries already tell: a streamer acting in their own channel names it. */
export function knownChannelNames(items: readonly LogEntry[]): ChannelNames {
  const names: ChannelNames = {};
  for (const entry of items) {
    if (!entry.channelId) continue;
    if (entry.actorId === entry.channelId && entry.actorUsername)
      names[entry.channelId] = entry.actorUsername;
    if (entry.targetUserId === entry.channelId && entry.targetUsername)
      names[entry.channelId] = entry.targetUsername;
  }
  return names;
}

/**
 * Names for every channel of `items` not in `known`, asked once per channel through `lookUp` (which answers
 * null for a streamer it cannot show, e.g. a banned one). Returns `known` with the answers added.
 */
export async function resolveChannelNames(
  items: readonly LogEntry[],
  known: ChannelNames,
  lookUp: (channelId: string) => Promise<string | null>,
): Promise<ChannelNames> {
  const names: ChannelNames = { ...known, ...knownChannelNames(items) };
  const missing = [...new Set(items.map((entry) => entry.channelId))].filter(
    (id): id is string => id !== null && !(id in names),
  );
  const answers = await Promise.all(missing.map(async (id) => [id, await lookUp(id)] as const));
  for (const [id, name] of answers) if (name) names[id] = name;
  return names;
}

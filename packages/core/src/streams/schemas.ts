import { z } from 'zod';
import { LIMITS } from '../identity/schemas.ts';
import { STREAM_LIMITS } from '../kernel/limits.ts';
import { plainText } from '../kernel/text.ts';

export { STREAM_LIMITS } from '../kernel/limits.ts';

export const streamIdSchema = z.uuid('That is not a stream id.');
export const streamIdInput = z.object({ streamId: streamIdSchema });
export type StreamIdInput = z.infer<typeof streamIdInput>;

const tag = plainText({
  label: 'A tag',
  min: 1,
  max: STREAM_LIMITS.tagMax,
  messages: {
    empty: 'Tags cannot be empty.',
    tooLong: `Each tag must be at most ${STREAM_LIMITS.tagMax} characters.`,
  },
})
  .transform((tag) => tag.toLowerCase())
  .pipe(
    z
      .string()
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u, 'Tags can only use letters, digits, spaces, - and _.'),
  );

const settings = z
  .object({
    chatMode: z.enum(['everyone', 'followers', 'verified']).optional(),
    slowModeSeconds: z
      .number()
      .int()
      .min(0)
      .max(
        STREAM_LIMITS.slowModeSecondsMax,
        `Slow mode is at most ${STREAM_LIMITS.slowModeSecondsMax} seconds.`,
      )
      .optional(),
    linksAllowed: z.boolean().optional(),
  })
  .strict();

const details = {
  title: plainText({
    label: 'The title',
    min: 1,
    max: STREAM_LIMITS.titleMax,
    messages: { empty: 'Give the stream a title.' },
  }),
  description: plainText({ label: 'The description', max: STREAM_LIMITS.descriptionMax, multiline: true }),
  categoryId: z.number().int().positive('Choose a category from the list.').nullable(),
  regionId: z.number().int().positive('Choose a region from the list.').nullable(),
  tags: z
    .array(tag)
    .max(STREAM_LIMITS.tagsMax, `At most ${STREAM_LIMITS.tagsMax} tags.`)
    .transform((tags) => [...new Set(tags)]),
  nsfw: z.boolean(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$/, 'Language must be a code like en or pt-BR.')
    .max(STREAM_LIMITS.languageMax),
  thumbnailUrl: z
    .url({ protocol: /^https$/, error: 'Thumbnail URL must be a web address starting with https://.' })
    .max(LIMITS.urlMax, 'Thumbnail URL is too long.')
    .nullable(),
  settings,
};

export const createStreamInput = z
  .object({
    title: details.title,
    description: details.description.default(''),
    categoryId: details.categoryId.optional(),
    /** The streamer's own region when omitted. */
    regionId: details.regionId.optional(),
    tags: details.tags.default([]),
    nsfw: details.nsfw.default(false),
    language: details.language.default('en'),
    thumbnailUrl: details.thumbnailUrl.optional(),
    settings: settings.default({}),
  })
  .strict();
export type CreateStreamInput = z.infer<typeof createStreamInput>;

export const updateStreamInput = z
  .object({
    streamId: streamIdSchema,
    title: details.title.optional(),
    description: details.description.optional(),
    categoryId: details.categoryId.optional(),
    regionId: details.regionId.optional(),
    tags: details.tags.optional(),
    nsfw: details.nsfw.optional(),
    language: details.language.optional(),
    thumbnailUrl: details.thumbnailUrl.optional(),
    settings: settings.optional(),
  })
  .strict();
export type UpdateStreamInput = z.infer<typeof updateStreamInput>;

export const STREAM_SORTS = ['viewers', 'newest', 'trending'] as const;
export type StreamSort = (typeof STREAM_SORTS)[number];

const cursor = z.string().max(STREAM_LIMITS.cursorMax, 'That page cursor is not valid.').nullish();
const limit = z.number().int().min(1).max(STREAM_LIMITS.pageMax).default(STREAM_LIMITS.pageDefault);

export const liveStreamsInput = z
  .object({
    categoryId: z.number().int().positive().optional(),
    /** A continent, country or city: streams in it and in every region inside it. */
    regionId: z.number().int().positive().optional(),
    /** Omitted: safe-for-work streams only, unless the viewer is age-verified. */
    nsfw: z.boolean().optional(),
    sort: z.enum(STREAM_SORTS).default('viewers'),
    cursor,
    limit,
  })
  .strict()
  .default({ sort: 'viewers', limit: STREAM_LIMITS.pageDefault });
export type LiveStreamsInput = z.infer<typeof liveStreamsInput>;

export const featuredStreamsInput = z
  .object({
    limit: z.number().int().min(1).max(STREAM_LIMITS.featuredMax).default(STREAM_LIMITS.featuredDefault),
  })
  .strict()
  .default({ limit: STREAM_LIMITS.featuredDefault });
export type FeaturedStreamsInput = z.infer<typeof featuredStreamsInput>;

export const userStreamsInput = z
  .object({ userId: z.uuid('That is not a user id.'), cursor, limit })
  .strict();
export type UserStreamsInput = z.infer<typeof userStreamsInput>;

/** Encoder presets offered to OBS users; `passthrough` (WHIP only) forwards the media without transcoding. */
export const INGRESS_PRESETS = [
  '540p',
  '720p',
  '1080p',
  '720p_high_motion',
  '1080p_high_motion',
  'passthrough',
] as const;
export type IngressPreset = (typeof INGRESS_PRESETS)[number];

export const createIngressInput = z
  .object({
    streamId: streamIdSchema,
    kind: z.enum(['rtmp', 'whip'], 'Choose RTMP or WHIP.'),
    preset: z.enum(INGRESS_PRESETS, 'Choose a quality preset from the list.').default('720p'),
  })
  .strict()
  .refine((input) => input.preset !== 'passthrough' || input.kind === 'whip', {
    message: 'Passthrough (no transcoding) is only available with WHIP.',
    path: ['preset'],
  });
export type CreateIngressInput = z.infer<typeof createIngressInput>;

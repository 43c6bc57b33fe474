import type { StreamDetails } from './streams.ts';

/** A line of chat `minutesAgo` minutes before the seed ran, by a demo user (a viewer, or the streamer). */
export type ChatLineSeed = { from: string; text: string; minutesAgo: number };

/** A tip from a demo viewer, paid from the tokens the platform granted them. */
export type TipSeed = { from: string; amountTokens: number; note?: string; anonymous?: boolean };

/**
 * A broadcast that is live when the seed finishes: started `startedMinutesAgo` minutes before, with a stored
 * viewer count (presence replaces it once someone really watches), recent chat, tips and a goal they count toward.
 */
export type LiveStreamSeed = StreamDetails & {
  streamer: string;
  startedMinutesAgo: number;
  viewers: number;
  /** The active goal; `deadlineMinutes` after it was set, when it has a deadline. */
  goal: { title: string; targetTokens: number; deadlineMinutes?: number };
  /** A goal waiting in the queue: it starts when the active one is reached. */
  nextGoal?: { title: string; targetTokens: number };
  chat: readonly ChatLineSeed[];
  tips: readonly TipSeed[];
};

/** What the platform grants every active demo viewer, so they can tip from the first minute. */
export const DEMO_GRANT_TOKENS = 5_000;
export const DEMO_GRANT_REASON = 'Demo tokens for local development';

/**
 * The streams that are live after seeding, one per streamer who has no draft: across categories and continents.
 * None is in Music or North America, where the browser tests put streams of their own live and count them.
 */
export const LIVE_STREAMS: readonly LiveStreamSeed[] = [
  {
    streamer: 'nonna_giulia',
    title: 'Fresh pasta night: hand-rolled pappardelle with nonna',
    description: 'Flour, eggs and a rolling pin. Cook along, ask anything, no pasta machine allowed.',
    category: 'cooking',
    tags: ['pasta', 'italian', 'cook-along', 'handmade'],
    language: 'en',
    startedMinutesAgo: 48,
    viewers: 412,
    goal: { title: 'New copper pot for the ragù', targetTokens: 2_000, deadlineMinutes: 24 * 60 },
    nextGoal: { title: 'A wooden pasta board', targetTokens: 1_000 },
    chat: [
      { from: 'ella_bakes', text: 'Ciao nonna! Flour is out, eggs are ready', minutesAgo: 40 },
      { from: 'nonna_giulia', text: 'Brava! One egg for every hundred grams of flour', minutesAgo: 38 },
      { from: 'noor_h', text: 'How thin do you roll it?', minutesAgo: 31 },
      { from: 'nonna_giulia', text: 'Thin enough to read the newspaper through it', minutesAgo: 29 },
      { from: 'sofia_lima', text: 'My dough keeps cracking at the edges', minutesAgo: 22 },
      { from: 'nonna_giulia', text: 'Wet your hands a little and knead two more minutes', minutesAgo: 20 },
      { from: 'maya_reads', text: 'This is the most relaxing stream on here', minutesAgo: 9 },
    ],
    tips: [
      { from: 'ella_bakes', amountTokens: 250, note: 'For the copper pot!' },
      { from: 'noor_h', amountTokens: 100 },
      { from: 'sofia_lima', amountTokens: 300, note: 'Grazie nonna, it finally worked' },
    ],
  },
  {
    streamer: 'mika_plays',
    title: 'Cozy farming sim: first winter on the island',
    description: 'Planning the greenhouse, befriending every villager, zero stress.',
    category: 'gaming',
    tags: ['cozy', 'farming-sim', 'chill'],
    language: 'en',
    startedMinutesAgo: 95,
    viewers: 588,
    goal: { title: 'Upgrade the stream mic', targetTokens: 3_000 },
    chat: [
      { from: 'kenji_watches', text: 'Konbanwa Mika!', minutesAgo: 80 },
      { from: 'mika_plays', text: 'Konbanwa! We are building the greenhouse tonight', minutesAgo: 78 },
      { from: 'tomasz_k', text: 'Plant the ancient fruit first, trust me', minutesAgo: 51 },
      { from: 'rahul_dev', text: 'The winter music in this game is so good', minutesAgo: 33 },
      { from: 'liam_plays', text: 'gift the wizard a mushroom', minutesAgo: 14 },
      { from: 'mika_plays', text: 'Wizard got his mushroom, chat is always right', minutesAgo: 12 },
    ],
    tips: [
      { from: 'kenji_watches', amountTokens: 500, note: 'Greenhouse fund' },
      { from: 'tomasz_k', amountTokens: 150 },
      { from: 'rahul_dev', amountTokens: 200, anonymous: true },
    ],
  },
  {
    streamer: 'iris_inks',
    title: 'Ink and watercolour: Paris rooftops at dusk',
    description: 'Loose ink lines first, then washes of colour. Bring a sketchbook.',
    category: 'art-creative',
    tags: ['watercolor', 'ink', 'illustration', 'paris'],
    language: 'en',
    startedMinutesAgo: 62,
    viewers: 174,
    goal: { title: 'Handmade cotton paper', targetTokens: 1_500 },
    chat: [
      { from: 'chloe_art', text: 'Bonsoir Iris, what brush is that?', minutesAgo: 55 },
      { from: 'iris_inks', text: 'A size 8 round with a very fine tip', minutesAgo: 53 },
      { from: 'amara_o', text: 'The chimney pots look amazing already', minutesAgo: 27 },
      { from: 'chloe_art', text: 'Painting along from Lyon tonight', minutesAgo: 16 },
    ],
    tips: [
      { from: 'chloe_art', amountTokens: 120, note: 'Merci for the brush tips' },
      { from: 'amara_o', amountTokens: 80 },
    ],
  },
  {
    streamer: 'coach_amani',
    title: '30-minute HIIT, no equipment needed',
    description: 'Intervals you can do in a living room. Modifications for every level.',
    category: 'fitness',
    tags: ['hiit', 'workout', 'no-equipment'],
    language: 'en',
    startedMinutesAgo: 18,
    viewers: 236,
    goal: { title: 'Resistance bands for the next class', targetTokens: 1_000 },
    chat: [
      { from: 'oskar_nord', text: 'Warm-up done, already sweating', minutesAgo: 15 },
      {
        from: 'coach_amani',
        text: 'Keep going! Low-impact version on the left of the screen',
        minutesAgo: 13,
      },
      { from: 'diego_mx', text: 'Round three was brutal', minutesAgo: 6 },
    ],
    tips: [
      { from: 'oskar_nord', amountTokens: 100, note: 'Best workout this week' },
      { from: 'diego_mx', amountTokens: 50 },
    ],
  },
  {
    streamer: 'priya_builds',
    title: 'Building a chat app in TypeScript, live',
    description: 'Websockets, a database and tests. Questions about the code are welcome.',
    category: 'technology',
    tags: ['typescript', 'webdev', 'coding'],
    language: 'en',
    startedMinutesAgo: 130,
    viewers: 327,
    goal: { title: 'A second monitor', targetTokens: 2_500 },
    chat: [
      { from: 'rahul_dev', text: 'Are you using an ORM or plain SQL?', minutesAgo: 110 },
      { from: 'priya_builds', text: 'A thin query builder, plain SQL where it matters', minutesAgo: 108 },
      { from: 'tomasz_k', text: 'The test just went green, nice', minutesAgo: 64 },
      { from: 'maya_reads', text: 'Learning so much from this', minutesAgo: 25 },
      { from: 'priya_builds', text: 'Next up: reconnecting without losing messages', minutesAgo: 11 },
    ],
    tips: [
      { from: 'rahul_dev', amountTokens: 400, note: 'For the second monitor' },
      { from: 'maya_reads', amountTokens: 150 },
    ],
  },
  {
    streamer: 'vale_charla',
    title: 'Mate y charla: tus preguntas',
    description: 'Charla tranquila desde Buenos Aires. Preguntas, recomendaciones y mate.',
    category: 'just-chatting',
    tags: ['charla', 'mate', 'preguntas'],
    language: 'es',
    startedMinutesAgo: 37,
    viewers: 143,
    goal: { title: 'Un termo nuevo', targetTokens: 800 },
    chat: [
      { from: 'sofia_lima', text: 'Hola Vale! Saludos desde São Paulo', minutesAgo: 30 },
      { from: 'vale_charla', text: 'Hola Sofía! Bienvenida', minutesAgo: 29 },
      { from: 'diego_mx', text: 'Qué libro recomiendas esta semana?', minutesAgo: 17 },
      { from: 'vale_charla', text: 'Rayuela, siempre Rayuela', minutesAgo: 15 },
    ],
    tips: [
      { from: 'sofia_lima', amountTokens: 60, note: 'Para el termo' },
      { from: 'diego_mx', amountTokens: 40 },
    ],
  },
  {
    streamer: 'kai_surfs',
    title: 'Sunrise surf check at Bondi',
    description: 'Reading the swell, then paddling out. Stream holds as long as the signal does.',
    category: 'travel-outdoors',
    tags: ['surf', 'beach', 'sunrise', 'sydney'],
    language: 'en',
    startedMinutesAgo: 24,
    viewers: 96,
    goal: { title: 'Waterproof camera housing', targetTokens: 1_200 },
    chat: [
      { from: 'ella_bakes', text: 'Morning from Melbourne! How big is it today?', minutesAgo: 21 },
      { from: 'kai_surfs', text: 'Waist high and clean, perfect for a longboard', minutesAgo: 19 },
      { from: 'kenji_watches', text: 'That sunrise though', minutesAgo: 8 },
    ],
    tips: [{ from: 'kenji_watches', amountTokens: 75, note: 'Catch one for me' }],
  },
];

import type { StreamSettings } from '../../schema/streams.ts';

export type StreamDetails = {
  title: string;
  description: string;
  /** Category slug; a stream in an adult category is NSFW. */
  category: string;
  tags: readonly string[];
  language: string;
  settings?: StreamSettings;
};

/** A broadcast that has ended: it started `daysAgo` days before the seed ran and lasted `durationMinutes`. */
export type PastStreamSeed = StreamDetails & {
  daysAgo: number;
  durationMinutes: number;
  peakViewers: number;
  totalViews: number;
};

/** Each streamer's history and the draft they would go live with next. Nothing is live after seeding. */
export type StreamerStreamsSeed = { streamer: string; past: readonly PastStreamSeed[]; draft: StreamDetails };

const ADULTS_ONLY: StreamSettings = { chatMode: 'verified', slowModeSeconds: 5, linksAllowed: false };

export const DEMO_STREAMS: readonly StreamerStreamsSeed[] = [
  {
    streamer: 'luna_sings',
    past: [
      {
        title: 'Acoustic Tuesday: your requests',
        description: 'Drop a song in chat and I will try it on guitar.',
        category: 'music',
        tags: ['acoustic', 'covers', 'requests'],
        language: 'en',
        daysAgo: 2,
        durationMinutes: 150,
        peakViewers: 312,
        totalViews: 1_840,
      },
      {
        title: 'Writing a new song with chat',
        description: 'From a blank page to a finished chorus, with your lyrics.',
        category: 'music',
        tags: ['songwriting', 'originals'],
        language: 'en',
        daysAgo: 6,
        durationMinutes: 120,
        peakViewers: 245,
        totalViews: 1_320,
      },
      {
        title: 'Boleros y café',
        description: 'Boleros clásicos y charla en español.',
        category: 'music',
        tags: ['boleros', 'spanish'],
        language: 'es',
        daysAgo: 11,
        durationMinutes: 95,
        peakViewers: 198,
        totalViews: 990,
      },
    ],
    draft: {
      title: 'Acoustic Tuesday: 90s throwbacks',
      description: 'Only songs from the 90s tonight.',
      category: 'music',
      tags: ['acoustic', 'covers', '90s'],
      language: 'en',
    },
  },
  {
    streamer: 'chef_marco',
    past: [
      {
        title: 'Neapolitan pizza from scratch: 48-hour dough',
        description: 'Stretching, topping and baking the dough we started on Friday.',
        category: 'cooking',
        tags: ['pizza', 'italian', 'baking'],
        language: 'en',
        daysAgo: 3,
        durationMinutes: 140,
        peakViewers: 420,
        totalViews: 2_650,
      },
      {
        title: 'Sunday ragù, low and slow',
        description: 'Four hours of simmering, questions welcome the whole time.',
        category: 'cooking',
        tags: ['italian', 'pasta', 'slow-cooking'],
        language: 'en',
        daysAgo: 9,
        durationMinutes: 210,
        peakViewers: 288,
        totalViews: 1_710,
      },
    ],
    draft: {
      title: 'Fresh pasta masterclass: tagliatelle and ravioli',
      description: 'Flour, eggs and patience. Cook along with me.',
      category: 'cooking',
      tags: ['pasta', 'italian', 'cook-along'],
      language: 'en',
    },
  },
  {
    streamer: 'pixelknight',
    past: [
      {
        title: 'Any% speedrun attempts: chasing a PB',
        description: 'Resetting until the first world is perfect.',
        category: 'gaming',
        tags: ['speedrun', 'retro', 'platformer'],
        language: 'en',
        daysAgo: 1,
        durationMinutes: 240,
        peakViewers: 876,
        totalViews: 5_120,
      },
      {
        title: 'Cozy Sunday: community picks',
        description: 'You vote, I play. No resets, no rage.',
        category: 'gaming',
        tags: ['cozy', 'community'],
        language: 'en',
        daysAgo: 4,
        durationMinutes: 180,
        peakViewers: 540,
        totalViews: 3_300,
      },
      {
        title: 'Retro hardware tour: CRT edition',
        description: 'Why speedrunners still play on old televisions.',
        category: 'technology',
        tags: ['retro', 'hardware', 'crt'],
        language: 'en',
        daysAgo: 8,
        durationMinutes: 75,
        peakViewers: 310,
        totalViews: 1_460,
      },
    ],
    draft: {
      title: 'Any% speedrun: 100 attempts or bust',
      description: 'Not stopping until the timer says so.',
      category: 'gaming',
      tags: ['speedrun', 'retro'],
      language: 'en',
    },
  },
  {
    streamer: 'yoga_with_ana',
    past: [
      {
        title: 'Morning flow for tight hips',
        description: 'A gentle 45-minute flow; a mat and a cushion are all you need.',
        category: 'fitness',
        tags: ['yoga', 'morning', 'beginner-friendly'],
        language: 'en',
        daysAgo: 2,
        durationMinutes: 45,
        peakViewers: 150,
        totalViews: 870,
      },
      {
        title: 'Desk-worker mobility break',
        description: 'Thirty minutes for necks, shoulders and wrists.',
        category: 'fitness',
        tags: ['mobility', 'stretching'],
        language: 'en',
        daysAgo: 5,
        durationMinutes: 30,
        peakViewers: 120,
        totalViews: 640,
      },
    ],
    draft: {
      title: 'Slow Sunday yin yoga',
      description: 'Long holds and deep breathing to end the week.',
      category: 'fitness',
      tags: ['yoga', 'yin', 'relaxation'],
      language: 'en',
    },
  },
  {
    streamer: 'dj_kairo',
    past: [
      {
        title: 'After Hours: deep house until sunrise',
        description: 'Adults only. Late-night deep house with an uncensored chat.',
        category: 'after-dark',
        tags: ['house', 'late-night', '18-plus'],
        language: 'en',
        settings: ADULTS_ONLY,
        daysAgo: 1,
        durationMinutes: 300,
        peakViewers: 690,
        totalViews: 4_100,
      },
      {
        title: 'Warehouse techno request night',
        description: 'Adults only. Your requests, mixed live.',
        category: 'after-dark',
        tags: ['techno', 'requests', '18-plus'],
        language: 'en',
        settings: ADULTS_ONLY,
        daysAgo: 7,
        durationMinutes: 240,
        peakViewers: 530,
        totalViews: 3_050,
      },
    ],
    draft: {
      title: 'After Hours: vinyl-only set',
      description: 'Adults only. Nothing but records tonight.',
      category: 'after-dark',
      tags: ['vinyl', 'house', '18-plus'],
      language: 'en',
      settings: ADULTS_ONLY,
    },
  },
  {
    streamer: 'trailrunner_ji',
    past: [
      {
        title: 'Bukhansan sunrise trail run',
        description: 'Up the granite ridges above Seoul before the city wakes.',
        category: 'travel-outdoors',
        tags: ['trail-running', 'hiking', 'seoul'],
        language: 'ko',
        daysAgo: 3,
        durationMinutes: 110,
        peakViewers: 205,
        totalViews: 1_180,
      },
    ],
    draft: {
      title: 'Jirisan ridge: two-day fastpack',
      description: 'Thirty kilometres of ridge line, streamed as far as the signal reaches.',
      category: 'travel-outdoors',
      tags: ['trail-running', 'fastpacking', 'mountains'],
      language: 'ko',
    },
  },
];

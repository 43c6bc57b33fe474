import type { UserRole } from '../../schema/users.ts';

/** Known passwords for local development, one per role; never used outside a seeded dev database. */
export const DEV_PASSWORDS = {
  admin: 'admin-password-1',
  moderator: 'moderator-password-1',
  streamer: 'streamer-password-1',
  viewer: 'viewer-password-1',
} as const satisfies Record<UserRole, string>;

/** A city by its country's ISO code and its slug, e.g. `{ country: 'MX', city: 'mexico-city' }`. */
export type CityRef = { country: string; city: string };

export type DemoUserSeed = {
  username: string;
  displayName: string;
  bio: string;
  role: UserRole;
  /** 'YYYY-MM-DD'. */
  dateOfBirth: string;
  ageVerified: boolean;
  city: CityRef;
  joinedDaysAgo: number;
  xp: number;
  streamer?: { sinceDaysAgo: number; pitch: string };
  ban?: { daysAgo: number; reason: string };
  /** Usernames this user follows. */
  follows?: readonly string[];
};

/** A date of birth that makes someone `years` old today, a few months past their birthday. */
function birthDateForAge(years: number): string {
  const date = new Date();
  date.setUTCDate(1);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCMonth(date.getUTCMonth() - 3);
  return date.toISOString().slice(0, 10);
}

const STAFF: readonly DemoUserSeed[] = [
  {
    username: 'admin',
    displayName: 'Lumen Admin',
    bio: 'Keeps the lights on at Lumen.',
    role: 'admin',
    dateOfBirth: '1985-03-14',
    ageVerified: true,
    city: { country: 'GB', city: 'london' },
    joinedDaysAgo: 420,
    xp: 2_500,
  },
  {
    username: 'moderator',
    displayName: 'Sam from Trust & Safety',
    bio: 'Moderator. Be kind in chat and we will get along fine.',
    role: 'moderator',
    dateOfBirth: '1991-07-22',
    ageVerified: true,
    city: { country: 'IE', city: 'dublin' },
    joinedDaysAgo: 400,
    xp: 4_200,
  },
];

const STREAMERS: readonly DemoUserSeed[] = [
  {
    username: 'luna_sings',
    displayName: 'Luna Reyes',
    bio: 'Singer-songwriter from Mexico City. Acoustic covers, originals and your requests, every week.',
    role: 'streamer',
    dateOfBirth: '1996-05-09',
    ageVerified: true,
    city: { country: 'MX', city: 'mexico-city' },
    joinedDaysAgo: 320,
    xp: 48_200,
    streamer: { sinceDaysAgo: 300, pitch: 'Weekly acoustic sets with song requests from chat.' },
    follows: ['dj_kairo'],
  },
  {
    username: 'chef_marco',
    displayName: 'Marco Bianchi',
    bio: "Neapolitan home cook. Pizza dough, slow sauces and my nonna's secrets, live from my kitchen.",
    role: 'streamer',
    dateOfBirth: '1984-11-02',
    ageVerified: true,
    city: { country: 'IT', city: 'naples' },
    joinedDaysAgo: 290,
    xp: 31_500,
    streamer: { sinceDaysAgo: 280, pitch: 'Cook-alongs of Italian classics, one recipe per stream.' },
    follows: ['yoga_with_ana'],
  },
  {
    username: 'pixelknight',
    displayName: 'PixelKnight',
    bio: 'Retro platformers, speedruns and the occasional rage quit. Streaming from Toronto.',
    role: 'streamer',
    dateOfBirth: '1999-01-27',
    ageVerified: true,
    city: { country: 'CA', city: 'toronto' },
    joinedDaysAgo: 410,
    xp: 87_400,
    streamer: { sinceDaysAgo: 400, pitch: 'Speedruns of 8- and 16-bit classics with a friendly chat.' },
  },
  {
    username: 'yoga_with_ana',
    displayName: 'Ana Costa',
    bio: 'Certified yoga teacher in Lisbon. Gentle morning flows and mobility breaks for desk workers.',
    role: 'streamer',
    dateOfBirth: '1993-08-18',
    ageVerified: true,
    city: { country: 'PT', city: 'lisbon' },
    joinedDaysAgo: 210,
    xp: 15_800,
    streamer: { sinceDaysAgo: 200, pitch: 'Short yoga and mobility classes anyone can follow.' },
  },
  {
    username: 'dj_kairo',
    displayName: 'DJ Kairo',
    bio: 'Berlin-based DJ. Late-night house and techno sets for grown-ups, 18+ only.',
    role: 'streamer',
    dateOfBirth: '1990-02-11',
    ageVerified: true,
    city: { country: 'DE', city: 'berlin' },
    joinedDaysAgo: 260,
    xp: 26_900,
    streamer: { sinceDaysAgo: 250, pitch: 'Adult late-night club sets for a verified audience.' },
  },
  {
    username: 'trailrunner_ji',
    displayName: 'Ji-woo Park',
    bio: 'Trail runner streaming mountain routes around Seoul and beyond.',
    role: 'streamer',
    dateOfBirth: '1995-10-05',
    ageVerified: true,
    city: { country: 'KR', city: 'seoul' },
    joinedDaysAgo: 150,
    xp: 9_100,
    streamer: { sinceDaysAgo: 120, pitch: 'Live trail runs and hikes with a chest-mounted camera.' },
    follows: ['yoga_with_ana', 'pixelknight'],
  },
];

/** Streamers who are live when the seed finishes (data/live-streams.ts), so a fresh site has something on. */
const LIVE_STREAMERS: readonly DemoUserSeed[] = [
  liveStreamer(
    'nonna_giulia',
    'Nonna Giulia',
    'IT',
    'rome',
    '1952-04-03',
    'Seventy years of Roman Sunday lunches, one shape of pasta at a time.',
  ),
  liveStreamer(
    'mika_plays',
    'Mika Tanaka',
    'JP',
    'tokyo',
    '1998-09-14',
    'Cozy games, long sessions, a very calm chat.',
  ),
  liveStreamer(
    'iris_inks',
    'Iris Moreau',
    'FR',
    'paris',
    '1991-06-30',
    'Urban sketching in ink and watercolour, live from my balcony.',
  ),
  liveStreamer(
    'coach_amani',
    'Coach Amani',
    'KE',
    'nairobi',
    '1989-12-08',
    'Short, hard, joyful workouts with no equipment.',
  ),
  liveStreamer(
    'priya_builds',
    'Priya Nair',
    'IN',
    'mumbai',
    '1994-02-21',
    'Building real web apps live, tests and all.',
  ),
  liveStreamer(
    'vale_charla',
    'Valentina Ríos',
    'AR',
    'buenos-aires',
    '1997-07-11',
    'Charlas, libros y mate desde Buenos Aires.',
  ),
  liveStreamer(
    'kai_surfs',
    'Kai Walker',
    'AU',
    'sydney',
    '1993-03-27',
    'Dawn patrol surf sessions on the eastern beaches.',
  ),
];

function liveStreamer(
  username: string,
  displayName: string,
  country: string,
  city: string,
  dateOfBirth: string,
  bio: string,
): DemoUserSeed {
  return {
    username,
    displayName,
    bio,
    role: 'streamer',
    dateOfBirth,
    ageVerified: true,
    city: { country, city },
    joinedDaysAgo: 200,
    xp: 12_000,
    streamer: { sinceDaysAgo: 180, pitch: bio },
  };
}

type ViewerSeed = Omit<DemoUserSeed, 'role' | 'bio' | 'streamer'> & { bio?: string };

function viewer(seed: ViewerSeed): DemoUserSeed {
  return { bio: '', ...seed, role: 'viewer' };
}

const VIEWERS: readonly DemoUserSeed[] = [
  viewer({
    username: 'maya_reads',
    displayName: 'Maya Patel',
    bio: 'Bookworm by day, lurker in music streams by night.',
    dateOfBirth: '1998-04-12',
    ageVerified: true,
    city: { country: 'IN', city: 'bengaluru' },
    joinedDaysAgo: 180,
    xp: 1_200,
    follows: ['luna_sings', 'yoga_with_ana'],
  }),
  viewer({
    username: 'tomasz_k',
    displayName: 'Tomasz Kowalski',
    dateOfBirth: '1992-09-30',
    ageVerified: true,
    city: { country: 'PL', city: 'krakow' },
    joinedDaysAgo: 240,
    xp: 3_400,
    follows: ['pixelknight', 'dj_kairo'],
  }),
  viewer({
    username: 'sofia_lima',
    displayName: 'Sofia Lima',
    bio: 'Here for the music and the chat.',
    dateOfBirth: '2001-12-03',
    ageVerified: true,
    city: { country: 'BR', city: 'sao-paulo' },
    joinedDaysAgo: 95,
    xp: 2_150,
    follows: ['luna_sings', 'dj_kairo', 'chef_marco'],
  }),
  viewer({
    username: 'kenji_watches',
    displayName: 'Kenji Sato',
    bio: 'Speedrun enthusiast. Weekend hiker.',
    dateOfBirth: '1989-06-21',
    ageVerified: true,
    city: { country: 'JP', city: 'osaka' },
    joinedDaysAgo: 300,
    xp: 6_700,
    follows: ['pixelknight', 'trailrunner_ji'],
  }),
  viewer({
    username: 'amara_o',
    displayName: 'Amara Okafor',
    dateOfBirth: '1997-02-14',
    ageVerified: false,
    city: { country: 'NG', city: 'lagos' },
    joinedDaysAgo: 40,
    xp: 350,
    follows: ['luna_sings', 'chef_marco'],
  }),
  viewer({
    // Under 18: can register and watch, but never sees NSFW streams.
    username: 'liam_plays',
    displayName: 'Liam',
    dateOfBirth: birthDateForAge(16),
    ageVerified: false,
    city: { country: 'IE', city: 'cork' },
    joinedDaysAgo: 25,
    xp: 180,
    follows: ['pixelknight'],
  }),
  viewer({
    username: 'noor_h',
    displayName: 'Noor Haddad',
    dateOfBirth: '1994-08-08',
    ageVerified: true,
    city: { country: 'AE', city: 'dubai' },
    joinedDaysAgo: 130,
    xp: 1_900,
    follows: ['yoga_with_ana', 'chef_marco'],
  }),
  viewer({
    username: 'diego_mx',
    displayName: 'Diego Hernández',
    dateOfBirth: '2000-01-19',
    ageVerified: false,
    city: { country: 'MX', city: 'guadalajara' },
    joinedDaysAgo: 60,
    xp: 720,
    follows: ['luna_sings', 'pixelknight'],
  }),
  viewer({
    username: 'ella_bakes',
    displayName: 'Ella Brown',
    bio: 'Sourdough obsessive. I will ask about your hydration ratio.',
    dateOfBirth: '1987-03-05',
    ageVerified: true,
    city: { country: 'AU', city: 'melbourne' },
    joinedDaysAgo: 220,
    xp: 2_800,
    follows: ['chef_marco', 'yoga_with_ana', 'trailrunner_ji'],
  }),
  viewer({
    username: 'rahul_dev',
    displayName: 'Rahul Sharma',
    dateOfBirth: '1993-10-17',
    ageVerified: true,
    city: { country: 'US', city: 'new-york' },
    joinedDaysAgo: 75,
    xp: 1_450,
    follows: ['pixelknight', 'dj_kairo'],
  }),
  viewer({
    username: 'chloe_art',
    displayName: 'Chloé Martin',
    bio: 'Illustrator. I draw the streamers I watch.',
    dateOfBirth: '1999-11-11',
    ageVerified: true,
    city: { country: 'FR', city: 'lyon' },
    joinedDaysAgo: 110,
    xp: 980,
    follows: ['luna_sings', 'trailrunner_ji'],
  }),
  viewer({
    username: 'oskar_nord',
    displayName: 'Oskar Lindqvist',
    dateOfBirth: '1985-05-25',
    ageVerified: false,
    city: { country: 'SE', city: 'stockholm' },
    joinedDaysAgo: 15,
    xp: 90,
    follows: ['trailrunner_ji', 'chef_marco'],
  }),
];

const BANNED = viewer({
  username: 'banned_user',
  displayName: 'Banned User',
  dateOfBirth: '1993-01-01',
  ageVerified: true,
  city: { country: 'US', city: 'chicago' },
  joinedDaysAgo: 70,
  xp: 400,
  follows: ['dj_kairo'],
  ban: { daysAgo: 5, reason: 'Repeated harassment of streamers in chat after two warnings.' },
});

/** Staff first, then streamers, viewers and the banned account; the order of the dev login table. */
export const DEMO_USERS: readonly DemoUserSeed[] = [
  ...STAFF,
  ...STREAMERS,
  ...LIVE_STREAMERS,
  ...VIEWERS,
  BANNED,
];

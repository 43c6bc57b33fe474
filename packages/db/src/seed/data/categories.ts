/** Browse categories in display order. Streams in an `adult` category are always NSFW and need age verification. */
export type CategorySeed = {
  slug: string;
  name: string;
  description: string;
  sortOrder: number;
  adult: boolean;
};

export const CATEGORIES: readonly CategorySeed[] = [
  {
    slug: 'just-chatting',
    name: 'Just Chatting',
    description: 'Hang out and talk with streamers about anything and everything.',
    sortOrder: 10,
    adult: false,
  },
  {
    slug: 'music',
    name: 'Music',
    description: 'Live performances, jam sessions, covers and production from the studio.',
    sortOrder: 20,
    adult: false,
  },
  {
    slug: 'gaming',
    name: 'Gaming',
    description: 'Speedruns, ranked grinds, cozy playthroughs and everything in between.',
    sortOrder: 30,
    adult: false,
  },
  {
    slug: 'art-creative',
    name: 'Art & Creative',
    description: 'Painting, illustration, crafts and design, made live from the first sketch.',
    sortOrder: 40,
    adult: false,
  },
  {
    slug: 'irl',
    name: 'IRL',
    description: 'Real life as it happens, from city walks to everyday adventures.',
    sortOrder: 50,
    adult: false,
  },
  {
    slug: 'fitness',
    name: 'Fitness',
    description: 'Workouts, yoga and training sessions you can follow along from home.',
    sortOrder: 60,
    adult: false,
  },
  {
    slug: 'cooking',
    name: 'Cooking',
    description: 'Recipes cooked live, from weeknight dinners to slow weekend projects.',
    sortOrder: 70,
    adult: false,
  },
  {
    slug: 'education',
    name: 'Education',
    description: 'Lessons, study sessions and explainers from people who love to teach.',
    sortOrder: 80,
    adult: false,
  },
  {
    slug: 'talk-shows-podcasts',
    name: 'Talk Shows & Podcasts',
    description: 'Hosted conversations, interviews and call-in shows recorded in front of chat.',
    sortOrder: 90,
    adult: false,
  },
  {
    slug: 'travel-outdoors',
    name: 'Travel & Outdoors',
    description: 'Trails, road trips and far-off places, streamed from wherever the signal reaches.',
    sortOrder: 100,
    adult: false,
  },
  {
    slug: 'sports',
    name: 'Sports',
    description: 'Watch parties, analysis and amateur sport with a community that cares.',
    sortOrder: 110,
    adult: false,
  },
  {
    slug: 'technology',
    name: 'Technology',
    description: 'Coding, hardware builds and tech news, explained as it is built.',
    sortOrder: 120,
    adult: false,
  },
  {
    slug: 'asmr',
    name: 'ASMR',
    description: 'Soft sounds and quiet triggers for relaxing, studying or falling asleep.',
    sortOrder: 130,
    adult: false,
  },
  {
    slug: 'dance',
    name: 'Dance',
    description: 'Choreography, freestyle and dance classes from studios and living rooms.',
    sortOrder: 140,
    adult: false,
  },
  {
    slug: 'after-dark',
    name: 'After Dark',
    description: 'Adult streams for verified viewers aged 18 and over.',
    sortOrder: 900,
    adult: true,
  },
];

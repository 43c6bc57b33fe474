/** Token packages on sale, in US cents; larger packages carry bonus tokens. */
export type TokenPackageSeed = {
  name: string;
  tokens: number;
  bonusTokens: number;
  priceCents: number;
  currency: 'usd';
  sortOrder: number;
};

export const TOKEN_PACKAGES: readonly TokenPackageSeed[] = [
  { name: 'Starter', tokens: 100, bonusTokens: 0, priceCents: 999, currency: 'usd', sortOrder: 10 },
  { name: 'Fan', tokens: 200, bonusTokens: 0, priceCents: 1999, currency: 'usd', sortOrder: 20 },
  { name: 'Supporter', tokens: 500, bonusTokens: 25, priceCents: 4999, currency: 'usd', sortOrder: 30 },
  { name: 'Superfan', tokens: 1000, bonusTokens: 75, priceCents: 9999, currency: 'usd', sortOrder: 40 },
  { name: 'Patron', tokens: 3000, bonusTokens: 300, priceCents: 27999, currency: 'usd', sortOrder: 50 },
];

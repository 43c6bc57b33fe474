import { defineEnvVars } from '@sveltejs/kit/env';

const DEFAULT_API_URL = 'http://localhost:3000';

/** Returns the value as an origin-style URL without a trailing slash, or throws a sentence saying what is wrong. */
function apiUrl(name: string) {
  return (value: string | undefined): string => {
    const raw = value?.trim() || DEFAULT_API_URL;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`${name} must be an absolute URL such as ${DEFAULT_API_URL}, got "${raw}".`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${name} must start with http:// or https://, got "${raw}".`);
    }
    return raw.replace(/\/+$/, '');
  };
}

// The only place the admin app reads its environment; import the values from `$app/env/public|private`.
export const variables = defineEnvVars({
  PUBLIC_API_URL: {
    public: true,
    description: 'Base URL of the Lumen API as the browser reaches it (tRPC lives under /trpc).',
    schema: apiUrl('PUBLIC_API_URL'),
  },
  API_URL: {
    description: 'Base URL of the Lumen API as this server reaches it; defaults to http://localhost:3000.',
    schema: apiUrl('API_URL'),
  },
});

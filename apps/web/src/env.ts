import { defineEnvVars } from '@sveltejs/kit/env';

const DEFAULT_API_URL = 'http://localhost:3000';

/** An http(s) origin without a trailing slash; anything else stops the app at start with a sentence saying why. */
function apiUrl(name: string) {
  return (value: string | undefined): string => {
    const raw = value?.trim() || DEFAULT_API_URL;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`${name} must be a URL like ${DEFAULT_API_URL}, but it is "${raw}".`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`${name} must start with http:// or https://, but it is "${raw}".`);
    }
    return raw.replace(/\/+$/, '');
  };
}

// The only place this app's environment is declared; read it through #lib/env.ts and #lib/server/env.ts.
export const variables = defineEnvVars({
  PUBLIC_API_URL: {
    public: true,
    description: 'Where browsers reach the Lumen API server (default http://localhost:3000).',
    schema: apiUrl('PUBLIC_API_URL'),
  },
  API_URL: {
    description: 'Where this app’s server reaches the Lumen API server (default http://localhost:3000).',
    schema: apiUrl('API_URL'),
  },
});

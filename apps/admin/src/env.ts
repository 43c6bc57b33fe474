import { parseApiUrl } from '@app/api/client';
import { defineEnvVars } from '@sveltejs/kit/env';

// The only place the admin app reads its environment; import the values from `$app/env/public|private`.
export const variables = defineEnvVars({
  PUBLIC_API_URL: {
    public: true,
    description: 'Base URL of the Lumen API as the browser reaches it (tRPC lives under /trpc).',
    schema: parseApiUrl('PUBLIC_API_URL'),
  },
  API_URL: {
    description: 'Base URL of the Lumen API as this server reaches it; defaults to http://localhost:3000.',
    schema: parseApiUrl('API_URL'),
  },
});

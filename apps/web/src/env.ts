import { parseApiUrl } from '@app/api/client';
import { defineEnvVars } from '@sveltejs/kit/env';

// The only place this app's environment is declared; read it through #lib/env.ts and #lib/server/env.ts.
export const variables = defineEnvVars({
  PUBLIC_API_URL: {
    public: true,
    description: 'Where browsers reach the Lumen API server (default http://localhost:3000).',
    schema: parseApiUrl('PUBLIC_API_URL'),
  },
  API_URL: {
    description: 'Where this app’s server reaches the Lumen API server (default http://localhost:3000).',
    schema: parseApiUrl('API_URL'),
  },
  LIVEKIT_URL: {
    description:
      'Where browsers reach LiveKit for media, as the API’s LIVEKIT_URL (default ws://localhost:7880); pages may connect only there and to the API.',
    schema: (value) => {
      const raw = value?.trim() || 'ws://localhost:7880';
      if (!/^wss?:\/\/[^/\s]+/.test(raw)) {
        throw new Error(
          `LIVEKIT_URL must be a ws:// or wss:// URL like ws://localhost:7880, but it is "${raw}".`,
        );
      }
      return raw;
    },
  },
});

import { createApiClient } from '@app/api/client';
import { publicApiUrl } from './env.ts';

/**
 * The typed API client for the browser. Mutations go through it so the API's Set-Cookie lands in the browser
 * (credentials: 'include'); after one that changes who is signed in, call `refreshAll()`.
 */
export const api = createApiClient({ url: `${publicApiUrl}/trpc` });

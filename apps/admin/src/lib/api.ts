import { createApiClient } from '@app/api/client';
import { PUBLIC_API_URL } from '$app/env/public';

/**
 * The typed client for code running in the browser. The session cookie rides along (credentials: include);
 * mutations pass the API's origin check because the admin app's origin is on its allow-list.
 */
export function browserApi() {
  return createApiClient({ url: `${PUBLIC_API_URL}/trpc` });
}

import { PUBLIC_API_URL } from '$app/env/public';

/** Base URL of the API as the browser sees it, without a trailing slash. */
export const publicApiUrl: string = PUBLIC_API_URL;

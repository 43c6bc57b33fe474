import { API_URL, LIVEKIT_URL } from '$app/env/private';

/** Base URL of the API as this app's server sees it, without a trailing slash. */
export const apiUrl: string = API_URL;

/** Where browsers reach the media server: the only place besides the API a page may connect to. */
export const livekitUrl: string = LIVEKIT_URL;

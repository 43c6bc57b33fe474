import { API_URL } from '$app/env/private';

/** Base URL of the API as this app's server sees it, without a trailing slash. */
export const apiUrl: string = API_URL;

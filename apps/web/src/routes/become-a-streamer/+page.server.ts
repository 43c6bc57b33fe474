import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// The application lives with the other settings; this is the easy-to-share address.
export const load: PageServerLoad = () => redirect(307, '/settings/streamer');

/** What the API says about its own faults; the apps say the same when they cannot tell more. */
export const GENERIC_FAILURE = 'Something went wrong on our side. Please try again in a moment.';

/** What the apps say when a request got no answer from the API at all. */
export const UNREACHABLE_FAILURE = 'We couldn’t reach Lumen’s servers. Check your connection and try again.';

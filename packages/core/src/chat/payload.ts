/** jsonb comes back parsed from Bun's client and PGlite, as text from some drivers. */
export function parseJson<T>(payload: T | string): T {
  return typeof payload === 'string' ? (JSON.parse(payload) as T) : payload;
}

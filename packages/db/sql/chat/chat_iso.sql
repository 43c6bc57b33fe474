-- A time as the ISO 8601 text JavaScript writes (UTC, milliseconds, "Z"), so that times built in SQL (chat
-- payloads, refusal details) read the same as times built in TypeScript.
CREATE OR REPLACE FUNCTION chat_iso(p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

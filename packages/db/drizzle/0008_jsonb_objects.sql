-- jsonb values written through Bun's Postgres client before the `jsonb` column type passed objects as they are
-- were stored as JSON strings holding the object ('"{\"a\":1}"'). Turn each back into the object it holds. The
-- ledger is append-only (a trigger refuses updates): its metadata is informational, read through the same column
-- type (which parses such strings), and is left as stored.
UPDATE streams SET settings = (settings #>> '{}')::jsonb WHERE jsonb_typeof(settings) = 'string';
--> statement-breakpoint
UPDATE messages SET metadata = (metadata #>> '{}')::jsonb WHERE jsonb_typeof(metadata) = 'string';
--> statement-breakpoint
UPDATE moderation_logs SET metadata = (metadata #>> '{}')::jsonb WHERE jsonb_typeof(metadata) = 'string';

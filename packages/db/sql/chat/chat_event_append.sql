-- Appends one event to a room's log. The per-room lock is held until commit, so the ids of one room are assigned
-- in commit order and a subscriber resuming after id N can never miss an event numbered below N. In the database
-- because only a lock held until commit can promise that order.
CREATE OR REPLACE FUNCTION chat_event_append(p_stream uuid, p_kind chat_event_kind, p_message bigint, p_payload jsonb)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream::text, 7));
  INSERT INTO chat_events (stream_id, kind, message_id, payload)
    VALUES (p_stream, p_kind, p_message, p_payload)
    RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;

-- Several chat posts of one room in one round trip, in order, each in its own subtransaction: one refused post
-- (its SQLSTATE and JSON DETAIL come back in its row) does not undo the others. In the database so that a busy
-- room's queued posts cost one round trip per batch, not per message. error_hint stays in the row type only
-- because existing databases have it (CREATE OR REPLACE cannot change a result type); no refusal sets a HINT.
CREATE OR REPLACE FUNCTION chat_post_many(p_posts jsonb, p_now timestamptz, p_duplicate_seconds integer)
RETURNS TABLE (
  idx integer,
  event_id bigint,
  payload jsonb,
  replayed boolean,
  error_state text,
  error_detail text,
  error_hint text
)
LANGUAGE plpgsql AS $$
DECLARE
  v_post jsonb;
  v_row record;
BEGIN
  FOR v_post, idx IN SELECT value, ordinality::integer FROM jsonb_array_elements(p_posts) WITH ORDINALITY LOOP
    event_id := NULL;
    payload := NULL;
    replayed := NULL;
    error_state := NULL;
    error_detail := NULL;
    error_hint := NULL;
    BEGIN
      SELECT * INTO v_row FROM chat_post(
        (v_post->>'streamId')::uuid,
        (v_post->>'senderId')::uuid,
        v_post->>'kind',
        v_post->>'text',
        v_post->>'clientMessageId',
        coalesce(v_post->'metadata', '{}'::jsonb),
        p_now,
        p_duplicate_seconds
      );
      event_id := v_row.event_id;
      payload := v_row.payload;
      replayed := v_row.replayed;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS error_state = RETURNED_SQLSTATE, error_detail = PG_EXCEPTION_DETAIL,
        error_hint = PG_EXCEPTION_HINT;
    END;
    RETURN NEXT;
  END LOOP;
END;
$$;

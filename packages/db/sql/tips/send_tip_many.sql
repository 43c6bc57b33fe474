-- Several tips in one round trip and one commit, in order, each in its own subtransaction: one refused tip (its
-- SQLSTATE and JSON DETAIL come back in its row) does not undo the others. In the database so that the tips a
-- server process has waiting cost one round trip and one WAL flush per batch, not per tip. Each element of p_tips
-- is one send_tip call (tips/send_tip.sql): {key, hash, streamId, fromUserId, walletAccountId, earningsAccountId,
-- earningsShardCount, amountTokens, note, anonymous, now}. A key that comes twice in one batch is a replay of the
-- first (the second subtransaction sees the first's ledger row), exactly as two calls one after the other.
-- A deadlock or serialization failure is one tip's row too (40P01, 40001): its subtransaction, and the locks it
-- took, are undone, and the caller sends that tip again.
-- Every credit of the batch to a sharded account goes to the same shard, drawn once per batch
-- (lumen.credit_shard, read by ledger/ledger_apply.sql): a batch of tips to one hot streamer then holds one of
-- their earnings rows until it commits, not one per tip, so batches in flight at once rarely wait on each other.
-- A caller that sends its batches' tips ordered by earnings account (core's tip queue does) makes batches that
-- drew the same shard wait for each other rather than deadlock.
CREATE OR REPLACE FUNCTION send_tip_many(p_tips jsonb, p_duplicate_seconds integer)
RETURNS TABLE (
  idx integer,
  tip_id bigint,
  created_at timestamptz,
  replayed boolean,
  wallet_balance bigint,
  to_user_id uuid,
  from_username text,
  from_display_name text,
  error_state text,
  error_detail text
)
LANGUAGE plpgsql AS $$
DECLARE
  v_tip jsonb;
  v_row record;
BEGIN
  PERFORM set_config('lumen.credit_shard', floor(random() * 1000000)::integer::text, true);
  FOR v_tip, idx IN SELECT value, ordinality::integer FROM jsonb_array_elements(p_tips) WITH ORDINALITY LOOP
    tip_id := NULL;
    created_at := NULL;
    replayed := NULL;
    wallet_balance := NULL;
    to_user_id := NULL;
    from_username := NULL;
    from_display_name := NULL;
    error_state := NULL;
    error_detail := NULL;
    BEGIN
      SELECT * INTO v_row FROM send_tip(
        v_tip->>'key',
        v_tip->>'hash',
        (v_tip->>'streamId')::uuid,
        (v_tip->>'fromUserId')::uuid,
        (v_tip->>'walletAccountId')::bigint,
        (v_tip->>'earningsAccountId')::bigint,
        (v_tip->>'earningsShardCount')::integer,
        (v_tip->>'amountTokens')::bigint,
        v_tip->>'note',
        (v_tip->>'anonymous')::boolean,
        (v_tip->>'now')::timestamptz,
        p_duplicate_seconds
      );
      tip_id := v_row.tip_id;
      created_at := v_row.created_at;
      replayed := v_row.replayed;
      wallet_balance := v_row.wallet_balance;
      to_user_id := v_row.to_user_id;
      from_username := v_row.from_username;
      from_display_name := v_row.from_display_name;
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS error_state = RETURNED_SQLSTATE, error_detail = PG_EXCEPTION_DETAIL;
    END;
    RETURN NEXT;
  END LOOP;
  -- Local to the transaction anyway; cleared so a caller's later postings in the same transaction draw again.
  PERFORM set_config('lumen.credit_shard', '', true);
END;
$$;

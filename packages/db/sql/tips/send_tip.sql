-- One tip, whole: the checks, the ledger posting, the tip row and who sent it, in one call. In the database so a
-- tip is one round trip: the hot path of a popular stream is bounded by its row locks, not by network latency.
-- Every check runs before the ledger posting, so a refused tip moves nothing and locks no balance. Who may tip is
-- the room's rule (room/room_admit.sql): the room's gates, a channel ban, and for a tip with a note (a note is
-- chat) everything chat checks, a timeout included; a timed-out user may still tip without a note.
-- Refuses with room_admit's refusals (LU001 STREAM_NOT_FOUND, LU005 STREAMER_BANNED, LU003 NOT_LIVE (DETAIL
-- {"status": "draft" | "ended"}), LU015 ADULTS_ONLY, LU009 CHAT_BANNED, LU010 CHAT_TIMED_OUT, and for a note
-- LU011..LU014), LU004 OWN_STREAM, LU006 WALLET_FROZEN, LU016 SPENDING_LIMIT (the tipper's own limits:
-- tips/spending_limit_check.sql), and ledger_post's refusals. A replayed key returns the
-- first tip even when the stream has ended or the tipper was restricted since: the checks apply to new tips only.
-- The earlier signature (without p_now and p_duplicate_seconds) is dropped so no caller reaches the unchecked one.
DROP FUNCTION IF EXISTS send_tip(text, text, uuid, uuid, bigint, bigint, integer, bigint, text, boolean);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION send_tip(
  p_key text,
  p_hash text,
  p_stream uuid,
  p_from uuid,
  p_wallet bigint,
  p_earnings bigint,
  p_earnings_shards integer,
  p_amount bigint,
  p_note text,
  p_anonymous boolean,
  p_now timestamptz,
  p_duplicate_seconds integer
) RETURNS TABLE (
  tip_id bigint,
  created_at timestamptz,
  replayed boolean,
  wallet_balance bigint,
  to_user_id uuid,
  from_username text,
  from_display_name text
)
LANGUAGE plpgsql AS $$
DECLARE
  v_admit record;
  v_post record;
  v_tip tips%ROWTYPE;
BEGIN
  -- A replayed key skips the checks: ledger_post returns the first tip below.
  IF NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.idempotency_key = p_key) THEN
    SELECT * INTO v_admit FROM room_admit(p_stream, p_from, 'tip', p_note, p_now, p_duplicate_seconds);
    IF v_admit.streamer_id = p_from THEN
      RAISE EXCEPTION 'own stream' USING ERRCODE = 'LU004';
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_accounts WHERE id = p_wallet AND frozen_at IS NOT NULL) THEN
      RAISE EXCEPTION 'wallet frozen' USING ERRCODE = 'LU006';
    END IF;
    IF EXISTS (SELECT 1 FROM spending_limits l WHERE l.user_id = p_from) THEN
      PERFORM spending_limit_check(p_from, p_wallet, p_amount, p_now);
    END IF;
  END IF;
  SELECT * INTO v_post FROM ledger_post(
    'tip', p_key, p_hash, jsonb_build_object('streamId', p_stream), NULL,
    ARRAY[p_wallet, p_earnings], ARRAY[1, p_earnings_shards], ARRAY[-p_amount, p_amount]);
  IF v_post.replayed THEN
    SELECT * INTO v_tip FROM tips WHERE ledger_transaction_id = v_post.transaction_id;
    RETURN QUERY SELECT v_tip.id, v_tip.created_at, true, NULL::bigint, v_tip.to_user_id, NULL::text, NULL::text;
    RETURN;
  END IF;
  INSERT INTO tips (stream_id, from_user_id, to_user_id, amount_tokens, note, anonymous, ledger_transaction_id)
    VALUES (p_stream, p_from, v_admit.streamer_id, p_amount, p_note, p_anonymous, v_post.transaction_id)
    RETURNING * INTO v_tip;
  RETURN QUERY SELECT v_tip.id, v_tip.created_at, false, v_post.balances[1], v_tip.to_user_id, v_admit.username,
    v_admit.display_name;
END;
$$;

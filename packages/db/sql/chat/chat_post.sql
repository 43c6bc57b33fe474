-- Checks and stores one chat line and appends its room event, so a message is one round trip. In the database
-- because a room's posts are serialized by its lock anyway: the checks (bans, chat mode, slow mode, repeats) read
-- the same rows the insert depends on, with no round trip in between.
-- Refuses with LU001 STREAM_NOT_FOUND, LU003 NOT_LIVE (DETAIL {"status"}), LU002 USER_NOT_FOUND, LU009
-- CHAT_BANNED (DETAIL {"reason"}), LU010 CHAT_TIMED_OUT (DETAIL {"until", "reason"}), LU011 FOLLOWERS_ONLY,
-- LU012 VERIFIED_ONLY, LU013 SLOW_MODE (DETAIL {"secondsLeft"}), LU014 DUPLICATE.
CREATE OR REPLACE FUNCTION chat_post(
  p_stream uuid,
  p_sender uuid,
  p_kind text,
  p_body text,
  p_client_id text,
  p_metadata jsonb,
  p_now timestamptz,
  p_duplicate_seconds integer
)
RETURNS TABLE (event_id bigint, message_id bigint, payload jsonb, replayed boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_stream record;
  v_sender record;
  v_channel_mod boolean;
  v_privileged boolean;
  v_until timestamptz;
  v_reason text;
  v_found boolean;
  v_slow integer;
  v_last record;
  v_badges jsonb;
  v_message bigint;
  v_payload jsonb;
BEGIN
  -- Chat commits without waiting for its WAL flush: the row is committed (visible to every reader, so stored
  -- before it is announced) but a database crash may lose the last fraction of a second of chat. The per-room
  -- lock is then held for microseconds instead of a disk flush, which is what bounds a room's message rate.
  -- Money never takes this path: tips and the ledger commit synchronously.
  PERFORM set_config('synchronous_commit', 'off', true);
  -- A retried send (same client id) returns what the first one stored.
  IF p_client_id IS NOT NULL THEN
    SELECT e.id, m.id, e.payload INTO event_id, message_id, payload
      FROM messages m JOIN chat_events e ON e.message_id = m.id AND e.kind = 'message'
      WHERE m.sender_id = p_sender AND m.client_message_id = p_client_id;
    IF FOUND THEN
      replayed := true;
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;

  SELECT s.streamer_id, s.status, s.settings INTO v_stream FROM streams s WHERE s.id = p_stream;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such stream' USING ERRCODE = 'LU001';
  END IF;
  IF v_stream.status <> 'live' THEN
    RAISE EXCEPTION 'stream not live' USING ERRCODE = 'LU003',
      DETAIL = jsonb_build_object('status', v_stream.status)::text;
  END IF;
  SELECT u.username, u.display_name, u.avatar_url, u.role, u.age_verified_at INTO v_sender
    FROM users u WHERE u.id = p_sender;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such user' USING ERRCODE = 'LU002';
  END IF;

  v_channel_mod := EXISTS (
    SELECT 1 FROM channel_moderators cm WHERE cm.channel_id = v_stream.streamer_id AND cm.user_id = p_sender
  );
  v_privileged := p_sender = v_stream.streamer_id OR v_channel_mod OR v_sender.role IN ('admin', 'moderator');

  IF p_kind = 'chat' AND NOT v_privileged THEN
    SELECT true, b.expires_at, b.reason INTO v_found, v_until, v_reason FROM channel_bans b
      WHERE b.channel_id = v_stream.streamer_id AND b.user_id = p_sender
        AND (b.expires_at IS NULL OR b.expires_at > p_now);
    IF v_found THEN
      IF v_until IS NULL THEN
        RAISE EXCEPTION 'banned' USING ERRCODE = 'LU009', DETAIL = jsonb_build_object('reason', v_reason)::text;
      END IF;
      RAISE EXCEPTION 'timed out' USING ERRCODE = 'LU010',
        DETAIL = jsonb_build_object('until', chat_iso(v_until), 'reason', v_reason)::text;
    END IF;
    IF v_stream.settings->>'chatMode' = 'followers' AND NOT EXISTS (
      SELECT 1 FROM user_follows f WHERE f.follower_id = p_sender AND f.followee_id = v_stream.streamer_id
    ) THEN
      RAISE EXCEPTION 'followers only' USING ERRCODE = 'LU011';
    END IF;
    IF v_stream.settings->>'chatMode' = 'verified' AND v_sender.age_verified_at IS NULL THEN
      RAISE EXCEPTION 'verified only' USING ERRCODE = 'LU012';
    END IF;
    v_slow := coalesce((v_stream.settings->>'slowModeSeconds')::integer, 0);
    SELECT m.body, m.created_at INTO v_last FROM messages m
      WHERE m.sender_id = p_sender AND m.stream_id = p_stream AND m.kind = 'chat'
      ORDER BY m.created_at DESC LIMIT 1;
    IF FOUND THEN
      IF v_slow > 0 AND v_last.created_at > p_now - make_interval(secs => v_slow) THEN
        RAISE EXCEPTION 'slow mode' USING ERRCODE = 'LU013', DETAIL = jsonb_build_object('secondsLeft',
          ceil(extract(epoch FROM v_last.created_at + make_interval(secs => v_slow) - p_now))::integer)::text;
      END IF;
      IF v_last.body = p_body AND v_last.created_at > p_now - make_interval(secs => p_duplicate_seconds) THEN
        RAISE EXCEPTION 'duplicate' USING ERRCODE = 'LU014';
      END IF;
    END IF;
  END IF;

  v_badges := '[]'::jsonb;
  IF p_sender = v_stream.streamer_id THEN v_badges := v_badges || '"streamer"'; END IF;
  IF v_channel_mod THEN v_badges := v_badges || '"moderator"'; END IF;
  IF v_sender.role IN ('admin', 'moderator') THEN v_badges := v_badges || '"staff"'; END IF;

  -- Locked before the message id is drawn, so message ids of one room are in commit order as well.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream::text, 7));
  INSERT INTO messages (kind, stream_id, sender_id, body, client_message_id, metadata, created_at)
    VALUES (p_kind::message_kind, p_stream, p_sender, p_body, p_client_id, coalesce(p_metadata, '{}'), p_now)
    RETURNING id INTO v_message;
  v_payload := jsonb_build_object(
    'type', 'chat.message',
    'id', v_message,
    'streamId', p_stream,
    'kind', p_kind,
    'text', p_body,
    'sender', CASE WHEN coalesce((p_metadata->>'anonymous')::boolean, false) THEN NULL ELSE jsonb_build_object(
      'id', p_sender,
      'username', v_sender.username,
      'displayName', v_sender.display_name,
      'avatarUrl', v_sender.avatar_url,
      'badges', v_badges
    ) END,
    'tip', p_metadata->'tip',
    'createdAt', chat_iso(p_now)
  );
  event_id := chat_event_append(p_stream, 'message', v_message, v_payload);
  message_id := v_message;
  payload := v_payload;
  replayed := false;
  RETURN NEXT;
END;
$$;

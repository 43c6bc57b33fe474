-- Checks and stores one chat line and appends its room event, so a message is one round trip. In the database
-- because a room's posts are serialized by its lock anyway: the checks (the room's gates, bans, chat mode, slow
-- mode, repeats: room_admit) read the same rows the insert depends on, with no round trip in between.
-- Refuses with room_admit's refusals: LU001 STREAM_NOT_FOUND, LU005 STREAMER_BANNED, LU003 NOT_LIVE (DETAIL
-- {"status"}), LU002 USER_NOT_FOUND, LU015 ADULTS_ONLY, LU009 CHAT_BANNED (DETAIL {"reason"}), LU010 CHAT_TIMED_OUT
-- (DETAIL {"until", "reason"}), LU011 FOLLOWERS_ONLY, LU012 VERIFIED_ONLY, LU013 SLOW_MODE (DETAIL
-- {"secondsLeft"}), LU014 DUPLICATE.
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
  v_admit record;
  v_badges jsonb;
  v_level integer;
  v_tier smallint;
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

  -- Who may post here at all, and the channel's chat rules for a chat line (room/room_admit.sql). A tip's line
  -- follows a tip that send_tip admitted with its note; posting it checks the room's gates again, not chat's rules.
  SELECT * INTO v_admit FROM room_admit(p_stream, p_sender, CASE WHEN p_kind = 'chat' THEN 'chat' ELSE 'tip' END,
    CASE WHEN p_kind = 'chat' THEN p_body END, p_now, p_duplicate_seconds);

  -- A line's badges, as the room sees them: 'streamer' (its channel), 'moderator' (a moderator of the channel),
  -- 'admin' (a platform admin), 'staff' (a platform moderator; lines stored before 'admin' existed use it for
  -- admins too).
  v_badges := '[]'::jsonb;
  IF p_sender = v_admit.streamer_id THEN v_badges := v_badges || '"streamer"'; END IF;
  IF coalesce(v_admit.channel_mod, EXISTS (
    SELECT 1 FROM channel_moderators cm WHERE cm.channel_id = v_admit.streamer_id AND cm.user_id = p_sender
  )) THEN v_badges := v_badges || '"moderator"'; END IF;
  IF v_admit.role = 'admin' THEN v_badges := v_badges || '"admin"'; END IF;
  IF v_admit.role = 'moderator' THEN v_badges := v_badges || '"staff"'; END IF;

  -- The sender's level and name colour as of this line (one primary-key read; gamification/levels.ts has the
  -- leagues' bounds).
  SELECT l.level, l.spend_tier INTO v_level, v_tier FROM user_levels l WHERE l.user_id = p_sender;

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
      'username', v_admit.username,
      'displayName', v_admit.display_name,
      'avatarUrl', v_admit.avatar_url,
      'badges', v_badges,
      'level', coalesce(v_level, 1),
      'league', CASE WHEN coalesce(v_level, 1) < 10 THEN 'grey' WHEN v_level < 20 THEN 'bronze'
        WHEN v_level < 35 THEN 'silver' WHEN v_level < 55 THEN 'gold' WHEN v_level < 80 THEN 'diamond'
        WHEN v_level < 100 THEN 'royal' ELSE 'legend' END,
      'spendTier', coalesce(v_tier, 0)
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

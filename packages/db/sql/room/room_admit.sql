-- The one rule for putting anything into a room: a chat line, a reaction, a tip (with or without a note). Every
-- function that stores such a thing calls it first, inside its own call, so the rule costs no round trip of its
-- own and no path can skip it. Watching is the same rule's first half, checked in core (room/access.ts).
--   Everyone, for every capability: the stream exists and its streamer is not platform-banned (their streams are
--   hidden and accept nothing); it is live; an NSFW stream admits only age-verified users (verification is only
--   granted at 18 or over), staff and channel moderators included.
--   Everyone but the streamer, the channel's moderators and platform staff: not banned from the channel; for
--   'react' and 'chat', not timed out either.
--   'chat' (a chat line, or a tip's note: p_body not empty) also passes the channel's chat rules: followers-only,
--   verified-only, slow mode and repeats. A tip without a note is not chat, so a timed-out user may still tip.
-- Refuses with LU001 STREAM_NOT_FOUND, LU005 STREAMER_BANNED, LU003 NOT_LIVE (DETAIL {"status"}), LU002
-- USER_NOT_FOUND, LU015 ADULTS_ONLY, LU009 CHAT_BANNED (DETAIL {"reason"}), LU010 CHAT_TIMED_OUT (DETAIL {"until",
-- "reason"}), LU011 FOLLOWERS_ONLY, LU012 VERIFIED_ONLY, LU013 SLOW_MODE (DETAIL {"secondsLeft"}), LU014 DUPLICATE.
-- Returns what the callers need next: the channel, whether the user moderates it (NULL for a plain tip by an
-- unrestricted user, where nothing depends on it), and how the user is shown.
CREATE OR REPLACE FUNCTION room_admit(
  p_stream uuid,
  p_user uuid,
  p_capability text,
  p_body text,
  p_now timestamptz,
  p_duplicate_seconds integer
)
RETURNS TABLE (
  streamer_id uuid,
  channel_mod boolean,
  username text,
  display_name text,
  avatar_url text,
  role text
)
LANGUAGE plpgsql AS $$
DECLARE
  v_stream record;
  v_privileged boolean;
  v_chat boolean := p_capability = 'chat' OR (p_capability = 'tip' AND coalesce(p_body, '') <> '');
  v_until timestamptz;
  v_reason text;
  v_found boolean;
  v_slow integer;
  v_last record;
BEGIN
  -- The stream, its streamer, the user and any restriction of the user in the channel, in one read: this runs
  -- for every chat line and every tip.
  SELECT s.streamer_id, s.status, s.nsfw, s.settings, su.banned_at AS streamer_banned_at,
      u.id AS user_id, u.username, u.display_name, u.avatar_url, u.role::text AS role, u.age_verified_at,
      b.user_id IS NOT NULL AS restricted, b.expires_at AS restricted_until, b.reason AS restriction_reason
    INTO v_stream
    FROM streams s
    JOIN users su ON su.id = s.streamer_id
    LEFT JOIN users u ON u.id = p_user
    LEFT JOIN channel_bans b ON b.channel_id = s.streamer_id AND b.user_id = p_user
      AND (b.expires_at IS NULL OR b.expires_at > p_now)
    WHERE s.id = p_stream;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such stream' USING ERRCODE = 'LU001';
  END IF;
  IF v_stream.streamer_banned_at IS NOT NULL THEN
    RAISE EXCEPTION 'streamer banned' USING ERRCODE = 'LU005';
  END IF;
  IF v_stream.status <> 'live' THEN
    RAISE EXCEPTION 'stream not live' USING ERRCODE = 'LU003',
      DETAIL = jsonb_build_object('status', v_stream.status)::text;
  END IF;
  IF v_stream.user_id IS NULL THEN
    RAISE EXCEPTION 'no such user' USING ERRCODE = 'LU002';
  END IF;
  IF v_stream.nsfw AND v_stream.age_verified_at IS NULL THEN
    RAISE EXCEPTION 'adults only' USING ERRCODE = 'LU015';
  END IF;

  v_privileged := p_user = v_stream.streamer_id OR v_stream.role IN ('admin', 'moderator');
  -- The streamer and staff are never restricted in a room; channel moderators are checked below.
  v_found := v_stream.restricted AND NOT v_privileged;
  v_until := v_stream.restricted_until;
  v_reason := v_stream.restriction_reason;
  -- Whether the user moderates the channel matters to a restriction, to chat's rules and to a line's badge. A
  -- tip by an unrestricted user needs none of them (it is the tip hot path), so channel_mod stays NULL then.
  IF v_found OR v_chat OR p_capability <> 'tip' THEN
    channel_mod := EXISTS (
      SELECT 1 FROM channel_moderators cm WHERE cm.channel_id = v_stream.streamer_id AND cm.user_id = p_user
    );
    v_privileged := v_privileged OR channel_mod;
  END IF;
  IF v_found AND NOT v_privileged THEN
    IF v_until IS NULL THEN
      RAISE EXCEPTION 'banned' USING ERRCODE = 'LU009', DETAIL = jsonb_build_object('reason', v_reason)::text;
    END IF;
    IF v_chat OR p_capability = 'react' THEN
      RAISE EXCEPTION 'timed out' USING ERRCODE = 'LU010',
        DETAIL = jsonb_build_object('until', chat_iso(v_until), 'reason', v_reason)::text;
    END IF;
  END IF;

  IF v_chat AND NOT v_privileged THEN
    IF v_stream.settings->>'chatMode' = 'followers' AND NOT EXISTS (
      SELECT 1 FROM user_follows f WHERE f.follower_id = p_user AND f.followee_id = v_stream.streamer_id
    ) THEN
      RAISE EXCEPTION 'followers only' USING ERRCODE = 'LU011';
    END IF;
    IF v_stream.settings->>'chatMode' = 'verified' AND v_stream.age_verified_at IS NULL THEN
      RAISE EXCEPTION 'verified only' USING ERRCODE = 'LU012';
    END IF;
    v_slow := coalesce((v_stream.settings->>'slowModeSeconds')::integer, 0);
    -- A tip's note is a line of chat like any other, so it counts for slow mode and repeats too.
    SELECT m.body, m.created_at INTO v_last FROM messages m
      WHERE m.sender_id = p_user AND m.stream_id = p_stream
        AND (m.kind = 'chat' OR (m.kind = 'tip' AND m.body <> ''))
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

  streamer_id := v_stream.streamer_id;
  username := v_stream.username;
  display_name := v_stream.display_name;
  avatar_url := v_stream.avatar_url;
  role := v_stream.role;
  RETURN NEXT;
END;
$$;

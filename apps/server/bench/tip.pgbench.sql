-- The SQL of one tip through the API, for pgbench to find the database's own ceiling: the session lookup every
-- signed-in request makes, then the tip itself (one call of the ledger engine; see
-- packages/db/drizzle/0004_ledger_functions.sql). The first lookup only picks a random viewer's ids.
\set n random(1, :viewers)
SELECT session_id, user_id, wallet_id FROM bench_viewers WHERE n = :n \gset
SELECT s.id, s.user_id, s.secret_hash, s.last_verified_at, u.id, u.username, u.role, u.banned_at FROM sessions s INNER JOIN users u ON u.id = s.user_id WHERE s.id = :session_id LIMIT 1;
SELECT tip_id, created_at, replayed, wallet_balance, to_user_id, from_username, from_display_name FROM send_tip('pgbench:' || :client_id || ':' || gen_random_uuid(), 'f1d2d2f924e986ac86fdf7b36c94bcdf32beec15', :stream_id, :user_id, :wallet_id, :earnings_id, 16, 5, NULL, false, now(), 30);

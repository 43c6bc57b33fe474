-- Posts one balanced ledger transaction: the transaction row under its unique idempotency key, checked debits,
-- the entries, then credits. In the database so that a tip is one round trip with cached plans, and the key, the
-- balances and the entries change in one place that no caller can get half right.
-- The same key with the same request hash returns the first transaction (replayed, nothing moves); with another
-- hash it refuses with LU008 IDEMPOTENCY_CONFLICT. Debits refuse with LU007 INSUFFICIENT_FUNDS (ledger_apply).
-- Postings that do not balance are a plain error: a bug in the caller, not a refusal.
CREATE OR REPLACE FUNCTION ledger_post(
  p_kind ledger_transaction_kind,
  p_key text,
  p_hash text,
  p_metadata jsonb,
  p_reverses bigint,
  p_accounts bigint[],
  p_shards integer[],
  p_amounts bigint[]
) RETURNS TABLE (transaction_id bigint, replayed boolean, account_ids bigint[], balances bigint[])
LANGUAGE plpgsql AS $$
DECLARE
  v_tx bigint;
  v_existing text;
  v_n integer := coalesce(array_length(p_accounts, 1), 0);
  v_balance bigint;
  v_ids bigint[] := '{}';
  v_balances bigint[] := '{}';
  i integer;
BEGIN
  IF v_n < 2 OR v_n <> array_length(p_amounts, 1) OR v_n <> array_length(p_shards, 1)
     OR (SELECT sum(a) FROM unnest(p_amounts) a) <> 0 OR 0 = ANY (p_amounts) THEN
    RAISE EXCEPTION 'a ledger transaction needs two or more non-zero postings that sum to zero';
  END IF;
  INSERT INTO ledger_transactions (kind, idempotency_key, request_hash, metadata, reverses_id)
    VALUES (p_kind, p_key, p_hash, coalesce(p_metadata, '{}'::jsonb), p_reverses)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO v_tx;
  IF v_tx IS NULL THEN
    SELECT t.id, t.request_hash INTO v_tx, v_existing FROM ledger_transactions t WHERE t.idempotency_key = p_key;
    IF v_existing IS DISTINCT FROM p_hash THEN
      RAISE EXCEPTION 'idempotency key reused for a different request' USING ERRCODE = 'LU008';
    END IF;
    RETURN QUERY SELECT v_tx, true, v_ids, v_balances;
    RETURN;
  END IF;
  -- Debits first, checked; credits last, so a hot account's row lock is held only until commit.
  FOR i IN SELECT ord FROM unnest(p_amounts) WITH ORDINALITY AS u(a, ord) WHERE a < 0 ORDER BY a LOOP
    v_balance := ledger_apply(p_accounts[i], p_shards[i], p_amounts[i]);
    IF v_balance IS NOT NULL THEN
      v_ids := v_ids || p_accounts[i];
      v_balances := v_balances || v_balance;
    END IF;
  END LOOP;
  INSERT INTO ledger_entries (transaction_id, account_id, amount)
    SELECT v_tx, a, m FROM unnest(p_accounts, p_amounts) AS u(a, m);
  FOR i IN SELECT ord FROM unnest(p_amounts) WITH ORDINALITY AS u(a, ord) WHERE a > 0 ORDER BY a LOOP
    v_balance := ledger_apply(p_accounts[i], p_shards[i], p_amounts[i]);
    IF v_balance IS NOT NULL THEN
      v_ids := v_ids || p_accounts[i];
      v_balances := v_balances || v_balance;
    END IF;
  END LOOP;
  RETURN QUERY SELECT v_tx, false, v_ids, v_balances;
END;
$$;

-- A ledger transaction's entries sum to zero and number at least two. Checked in the database, at commit, so no
-- writer (the ledger engine, a script, a hand-written fix) can leave tokens created or destroyed.
CREATE OR REPLACE FUNCTION ledger_check_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total numeric;
  n integer;
BEGIN
  SELECT coalesce(sum(amount), 0), count(*) INTO total, n FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
  IF total <> 0 OR n < 2 THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced (sum %, % entries)', NEW.transaction_id, total, n
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;

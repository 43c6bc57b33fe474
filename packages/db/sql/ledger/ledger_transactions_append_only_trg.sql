-- Ledger transactions are never updated or deleted (ledger_forbid_change refuses it), whoever writes.
CREATE OR REPLACE TRIGGER ledger_transactions_append_only_trg
  BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();

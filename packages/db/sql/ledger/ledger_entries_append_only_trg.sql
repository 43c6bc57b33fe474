-- Ledger entries are never updated or deleted (ledger_forbid_change refuses it), whoever writes.
CREATE OR REPLACE TRIGGER ledger_entries_append_only_trg
  BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();

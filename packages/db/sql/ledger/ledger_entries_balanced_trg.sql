-- Runs ledger_check_transaction_balanced for every new entry, deferred to commit, when all of a transaction's
-- entries are in. In the database so that no writer can skip it. Postgres cannot CREATE OR REPLACE a constraint
-- trigger, so it is dropped and created again; both happen in the migrate step's transaction, so no commit ever
-- sees the table without it.
DROP TRIGGER IF EXISTS ledger_entries_balanced_trg ON ledger_entries;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced_trg
  AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_transaction_balanced();

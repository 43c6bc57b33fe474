ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_account_id_ledger_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "tips" DROP CONSTRAINT "tips_stream_id_streams_id_fk";
--> statement-breakpoint
ALTER TABLE "tips" DROP CONSTRAINT "tips_to_user_id_users_id_fk";

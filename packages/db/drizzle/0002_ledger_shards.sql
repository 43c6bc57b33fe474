ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'debt' BEFORE 'issuance';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'payout' BEFORE 'adjustment';--> statement-breakpoint
CREATE TABLE "ledger_balances" (
	"account_id" bigint NOT NULL,
	"shard" integer NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"non_negative" boolean NOT NULL,
	CONSTRAINT "ledger_balances_pkey" PRIMARY KEY("account_id","shard"),
	CONSTRAINT "ledger_balances_nonnegative_chk" CHECK (NOT "ledger_balances"."non_negative" OR "ledger_balances"."balance" >= 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ledger_accounts_user_balance_nonnegative_chk";--> statement-breakpoint
ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ledger_accounts_owner_matches_kind_chk";--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD COLUMN "shard_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_balances" ADD CONSTRAINT "ledger_balances_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" DROP COLUMN "balance";--> statement-breakpoint
ALTER TABLE "streams" DROP COLUMN "tips_tokens";--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_shard_count_chk" CHECK ("ledger_accounts"."shard_count" BETWEEN 1 AND 64);--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_owner_matches_kind_chk" CHECK (("ledger_accounts"."kind"::text IN ('wallet', 'earnings', 'debt')) = ("ledger_accounts"."user_id" IS NOT NULL));
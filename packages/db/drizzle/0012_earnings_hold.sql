ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'tip_reversal';--> statement-breakpoint
ALTER TYPE "public"."withdrawal_status" ADD VALUE 'held' BEFORE 'approved';--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "reversed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "reversed_tokens" bigint;--> statement-breakpoint
ALTER TABLE "tips" ADD COLUMN "reversal_transaction_id" bigint;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD COLUMN "hold_reason" text;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD COLUMN "held_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_reversal_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("reversal_transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tips" ADD CONSTRAINT "tips_reversed_tokens_chk" CHECK ("tips"."reversed_tokens" IS NULL OR ("tips"."reversed_tokens" > 0 AND "tips"."reversed_tokens" <= "tips"."amount_tokens"));
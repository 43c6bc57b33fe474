ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'promotions';--> statement-breakpoint
ALTER TYPE "public"."ledger_transaction_kind" ADD VALUE 'grant';--> statement-breakpoint
ALTER TYPE "public"."moderation_action" ADD VALUE 'grant_tokens';
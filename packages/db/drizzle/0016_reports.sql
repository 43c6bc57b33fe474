CREATE TYPE "public"."report_action" AS ENUM('dismiss', 'delete_message', 'timeout', 'platform_ban');--> statement-breakpoint
CREATE TYPE "public"."report_kind" AS ENUM('user', 'message', 'stream');--> statement-breakpoint
CREATE TYPE "public"."report_reason" AS ENUM('spam', 'harassment', 'child_safety', 'violence', 'self_harm', 'impersonation', 'other');--> statement-breakpoint
CREATE TYPE "public"."report_state" AS ENUM('open', 'in_review', 'resolved', 'dismissed');--> statement-breakpoint
ALTER TYPE "public"."moderation_action" ADD VALUE 'claim_report';--> statement-breakpoint
ALTER TYPE "public"."moderation_action" ADD VALUE 'resolve_report';--> statement-breakpoint
CREATE TABLE "reports" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reports_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"reporter_id" uuid NOT NULL,
	"kind" "report_kind" NOT NULL,
	"target_user_id" uuid,
	"message_id" bigint,
	"stream_id" uuid,
	"message_body" text,
	"reason" "report_reason" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"state" "report_state" DEFAULT 'open' NOT NULL,
	"claimed_by_id" uuid,
	"claimed_at" timestamp with time zone,
	"resolved_by_id" uuid,
	"resolved_at" timestamp with time zone,
	"action" "report_action",
	"resolution_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_note_length_chk" CHECK (char_length("reports"."note") <= 1000),
	CONSTRAINT "reports_closed_chk" CHECK (("reports"."state" in ('open', 'in_review')) = ("reports"."action" is null and "reports"."resolved_at" is null))
);
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_target_user_id_users_id_fk" FOREIGN KEY ("target_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_stream_id_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."streams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_claimed_by_id_users_id_fk" FOREIGN KEY ("claimed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_resolved_by_id_users_id_fk" FOREIGN KEY ("resolved_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reports_state_id_idx" ON "reports" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "reports_reporter_id_id_idx" ON "reports" USING btree ("reporter_id","id");--> statement-breakpoint
CREATE INDEX "reports_target_user_id_idx" ON "reports" USING btree ("target_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_reporter_id_open_target_key" ON "reports" USING btree ("reporter_id","kind",(case "kind" when 'message' then "message_id"::text when 'stream' then "stream_id"::text else "target_user_id"::text end)) WHERE "reports"."state" in ('open', 'in_review');
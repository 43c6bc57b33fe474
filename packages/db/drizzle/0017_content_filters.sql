CREATE TYPE "public"."filter_mode" AS ENUM('block', 'mask');--> statement-breakpoint
ALTER TYPE "public"."moderation_action" ADD VALUE 'update_filters';--> statement-breakpoint
CREATE TABLE "content_filters" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "content_filters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"channel_id" uuid,
	"terms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"english_preset" "filter_mode",
	"updated_by_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_filters_channel_id_key" UNIQUE NULLS NOT DISTINCT("channel_id"),
	CONSTRAINT "content_filters_preset_platform_only_check" CHECK ("content_filters"."channel_id" is null or "content_filters"."english_preset" is null)
);
--> statement-breakpoint
ALTER TABLE "content_filters" ADD CONSTRAINT "content_filters_channel_id_users_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_filters" ADD CONSTRAINT "content_filters_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
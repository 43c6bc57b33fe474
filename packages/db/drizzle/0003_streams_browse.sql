CREATE TABLE "livekit_webhook_events" (
	"id" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"room_name" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stream_viewer_sessions" (
	"stream_id" uuid NOT NULL,
	"participant_sid" text NOT NULL,
	"viewer_key" text NOT NULL,
	"joined_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	CONSTRAINT "stream_viewer_sessions_pkey" PRIMARY KEY("stream_id","participant_sid")
);
--> statement-breakpoint
DROP INDEX "streams_status_current_viewers_idx";--> statement-breakpoint
DROP INDEX "streams_status_started_at_idx";--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "ingress_url" text;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "ingress_stream_key" text;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "ingress_preset" text;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "ended_reason" text;--> statement-breakpoint
ALTER TABLE "streams" ADD COLUMN "trending_score" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stream_viewer_sessions" ADD CONSTRAINT "stream_viewer_sessions_stream_id_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."streams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "livekit_webhook_events_received_at_idx" ON "livekit_webhook_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "stream_viewer_sessions_stream_id_viewer_key_idx" ON "stream_viewer_sessions" USING btree ("stream_id","viewer_key");--> statement-breakpoint
CREATE INDEX "user_follows_follower_id_created_at_idx" ON "user_follows" USING btree ("follower_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "streams_streamer_id_open_key" ON "streams" USING btree ("streamer_id") WHERE "streams"."status" <> 'ended';--> statement-breakpoint
CREATE INDEX "streams_live_current_viewers_id_idx" ON "streams" USING btree ("current_viewers" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "streams"."status" = 'live';--> statement-breakpoint
CREATE INDEX "streams_live_started_at_id_idx" ON "streams" USING btree ("started_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "streams"."status" = 'live';--> statement-breakpoint
CREATE INDEX "streams_live_trending_score_id_idx" ON "streams" USING btree ("trending_score" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "streams"."status" = 'live';--> statement-breakpoint
CREATE INDEX "streams_live_category_id_current_viewers_idx" ON "streams" USING btree ("category_id","current_viewers" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "streams"."status" = 'live';--> statement-breakpoint
CREATE INDEX "streams_live_region_id_idx" ON "streams" USING btree ("region_id") WHERE "streams"."status" = 'live';--> statement-breakpoint
CREATE INDEX "streams_ingress_id_idx" ON "streams" USING btree ("ingress_id");--> statement-breakpoint
ALTER TABLE "streams" ADD CONSTRAINT "streams_ended_reason_chk" CHECK ("streams"."ended_reason" IS NULL OR "streams"."ended_reason" IN ('stopped', 'room_finished', 'ingress_ended', 'ingress_error'));
CREATE TABLE "leaderboard_rollups" (
	"board" text NOT NULL,
	"scope" text NOT NULL,
	"bucket" text NOT NULL,
	"member" uuid NOT NULL,
	"score" bigint NOT NULL,
	CONSTRAINT "leaderboard_rollups_pkey" PRIMARY KEY("board","scope","bucket","member")
);
--> statement-breakpoint
CREATE TABLE "leaderboard_snapshots" (
	"board" text NOT NULL,
	"scope" text NOT NULL,
	"bucket" text NOT NULL,
	"rank" integer NOT NULL,
	"member" uuid NOT NULL,
	"score" bigint NOT NULL,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leaderboard_snapshots_pkey" PRIMARY KEY("board","scope","bucket","rank")
);
--> statement-breakpoint
CREATE TABLE "menu_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "menu_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tip_id" bigint NOT NULL,
	"stream_id" uuid NOT NULL,
	"streamer_id" uuid NOT NULL,
	"from_user_id" uuid NOT NULL,
	"item_id" uuid,
	"label" text NOT NULL,
	"price_tokens" bigint NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "menu_requests_tip_id_key" UNIQUE("tip_id"),
	CONSTRAINT "menu_requests_status_chk" CHECK ("menu_requests"."status" IN ('queued', 'done'))
);
--> statement-breakpoint
CREATE TABLE "projector_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"epoch" uuid DEFAULT gen_random_uuid() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projector_holes" (
	"name" text NOT NULL,
	"transaction_id" bigint NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "projector_holes_pkey" PRIMARY KEY("name","transaction_id")
);
--> statement-breakpoint
CREATE TABLE "projector_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_kings" (
	"streamer_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"score_tokens" bigint DEFAULT 0 NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spending_limits" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"daily_tokens" bigint,
	"weekly_tokens" bigint,
	"pending_daily_tokens" bigint,
	"pending_weekly_tokens" bigint,
	"pending_from" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spending_limits_positive_chk" CHECK (("spending_limits"."daily_tokens" IS NULL OR "spending_limits"."daily_tokens" > 0) AND ("spending_limits"."weekly_tokens" IS NULL OR "spending_limits"."weekly_tokens" > 0)
        AND ("spending_limits"."pending_daily_tokens" IS NULL OR "spending_limits"."pending_daily_tokens" > 0)
        AND ("spending_limits"."pending_weekly_tokens" IS NULL OR "spending_limits"."pending_weekly_tokens" > 0))
);
--> statement-breakpoint
CREATE TABLE "streamer_levels" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"earned_xp" bigint DEFAULT 0 NOT NULL,
	"live_seconds" bigint DEFAULT 0 NOT NULL,
	"xp" bigint DEFAULT 0 NOT NULL,
	"level" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "streamer_levels_nonnegative_chk" CHECK ("streamer_levels"."xp" >= 0 AND "streamer_levels"."level" >= 1)
);
--> statement-breakpoint
CREATE TABLE "user_activity_days" (
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"watch_xp" integer DEFAULT 0 NOT NULL,
	"chat_xp" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "user_activity_days_pkey" PRIMARY KEY("user_id","day")
);
--> statement-breakpoint
CREATE TABLE "user_spend_days" (
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "user_spend_days_pkey" PRIMARY KEY("user_id","day")
);
--> statement-breakpoint
DROP INDEX "stream_goals_stream_id_idx";--> statement-breakpoint
ALTER TABLE "user_levels" ADD COLUMN "spend_xp" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "user_levels" ADD COLUMN "activity_xp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "user_levels" ADD COLUMN "standing_purchases" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "user_levels" ADD COLUMN "spend_tier" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "user_levels" ADD COLUMN "hidden_from_boards" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stream_goals" ADD COLUMN "status" text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "stream_goals" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stream_goals" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stream_goals" ADD COLUMN "deadline_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stream_goals" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
UPDATE "stream_goals" SET "status" = 'reached', "started_at" = "created_at", "ended_at" = "reached_at" WHERE "reached_at" IS NOT NULL;--> statement-breakpoint
UPDATE "stream_goals" g SET "status" = 'cancelled', "started_at" = g."created_at", "ended_at" = now() WHERE g."status" = 'active' AND EXISTS (SELECT 1 FROM "stream_goals" n WHERE n."stream_id" = g."stream_id" AND n."status" = 'active' AND (n."created_at", n."id") > (g."created_at", g."id"));--> statement-breakpoint
UPDATE "stream_goals" SET "started_at" = "created_at" WHERE "status" = 'active';--> statement-breakpoint
ALTER TABLE "menu_requests" ADD CONSTRAINT "menu_requests_streamer_id_users_id_fk" FOREIGN KEY ("streamer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "menu_requests" ADD CONSTRAINT "menu_requests_from_user_id_users_id_fk" FOREIGN KEY ("from_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_kings" ADD CONSTRAINT "room_kings_streamer_id_users_id_fk" FOREIGN KEY ("streamer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_kings" ADD CONSTRAINT "room_kings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spending_limits" ADD CONSTRAINT "spending_limits_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "streamer_levels" ADD CONSTRAINT "streamer_levels_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_activity_days" ADD CONSTRAINT "user_activity_days_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_spend_days" ADD CONSTRAINT "user_spend_days_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leaderboard_rollups_rank_idx" ON "leaderboard_rollups" USING btree ("board","scope","bucket","score" DESC NULLS LAST,"member");--> statement-breakpoint
CREATE INDEX "menu_requests_streamer_id_status_idx" ON "menu_requests" USING btree ("streamer_id","status","id");--> statement-breakpoint
CREATE INDEX "menu_requests_from_user_id_idx" ON "menu_requests" USING btree ("from_user_id","id");--> statement-breakpoint
CREATE INDEX "tips_reversal_transaction_id_idx" ON "tips" USING btree ("reversal_transaction_id") WHERE "tips"."reversal_transaction_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "user_levels_spend_tier_idx" ON "user_levels" USING btree ("user_id") WHERE "user_levels"."spend_tier" > 0;--> statement-breakpoint
CREATE UNIQUE INDEX "stream_goals_one_active_key" ON "stream_goals" USING btree ("stream_id") WHERE "stream_goals"."status" = 'active';--> statement-breakpoint
CREATE INDEX "stream_goals_stream_id_idx" ON "stream_goals" USING btree ("stream_id","status","position");--> statement-breakpoint
ALTER TABLE "stream_goals" ADD CONSTRAINT "stream_goals_status_chk" CHECK ("stream_goals"."status" IN ('queued', 'active', 'reached', 'expired', 'cancelled'));
CREATE TYPE "public"."plan_version_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TYPE "public"."scenario_source" AS ENUM('builtin', 'custom');--> statement-breakpoint
CREATE TYPE "public"."timeline_stream_kind" AS ENUM('drill', 'incident');--> statement-breakpoint
CREATE TYPE "public"."timeline_kind" AS ENUM('inject', 'action', 'decision', 'report', 'notification', 'observation', 'finding', 'status_change');--> statement-breakpoint
CREATE TYPE "public"."drill_mode" AS ENUM('tabletop', 'simulated', 'hands_on', 'demonstration');--> statement-breakpoint
CREATE TYPE "public"."drill_role" AS ENUM('coordinator', 'responder', 'observer');--> statement-breakpoint
CREATE TYPE "public"."drill_scope" AS ENUM('comprehensive', 'single_topic');--> statement-breakpoint
CREATE TYPE "public"."drill_status" AS ENUM('draft', 'approved', 'running', 'paused', 'ended', 'evaluated', 'closed');--> statement-breakpoint
CREATE TYPE "public"."inject_status" AS ENUM('pending', 'delivered', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."incident_status" AS ENUM('open', 'responding', 'contained', 'recovered', 'closed');--> statement-breakpoint
CREATE TYPE "public"."programme_kind" AS ENUM('drill', 'plan_review');--> statement-breakpoint
CREATE TABLE "emergency_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"plan_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" "plan_version_status" NOT NULL,
	"content" jsonb NOT NULL,
	"change_note" text DEFAULT '' NOT NULL,
	"revision_causes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"based_on_id" uuid,
	"published_at" timestamp with time zone,
	"published_by" text
);
--> statement-breakpoint
CREATE TABLE "scenarios" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"source" "scenario_source" NOT NULL,
	"definition" jsonb NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "scenarios_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "timeline_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stream_kind" timeline_stream_kind NOT NULL,
	"stream_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"kind" timeline_kind NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"drill_time_ms" bigint,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"text" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"corrects_id" uuid,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drill_injects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"drill_id" uuid NOT NULL,
	"key" text NOT NULL,
	"position" integer NOT NULL,
	"offset_ms" bigint,
	"channel" text NOT NULL,
	"sender" text NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"content" text NOT NULL,
	"expected_actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"marks_detection" boolean DEFAULT false NOT NULL,
	"status" "inject_status" DEFAULT 'pending' NOT NULL,
	"delivered_at" timestamp with time zone,
	"delivered_drill_ms" bigint,
	"entry_id" uuid
);
--> statement-breakpoint
CREATE TABLE "drill_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"drill_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" "drill_role" NOT NULL,
	"duty" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"status" "drill_status" DEFAULT 'draft' NOT NULL,
	"mode" "drill_mode" NOT NULL,
	"scope" "drill_scope" NOT NULL,
	"language" text DEFAULT 'zh-CN' NOT NULL,
	"plan_version_id" uuid,
	"scenario_id" uuid,
	"scheduled_start" timestamp with time zone,
	"place" text DEFAULT '' NOT NULL,
	"guiding_principle" text DEFAULT '' NOT NULL,
	"content" text DEFAULT '' NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"objectives" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"escalation_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"incident_category" text,
	"incident_subcategory" text,
	"incident_level" text,
	"started_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"paused_ms" bigint DEFAULT 0 NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"is_drill" boolean DEFAULT false NOT NULL,
	"drill_id" uuid,
	"category" text NOT NULL,
	"subcategory" text,
	"level" text,
	"status" "incident_status" DEFAULT 'open' NOT NULL,
	"occurred_at" timestamp with time zone,
	"detected_at" timestamp with time zone,
	"reported_at" timestamp with time zone,
	"contained_at" timestamp with time zone,
	"eradicated_at" timestamp with time zone,
	"recovered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"affected_systems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"plan_version_id" uuid,
	"escalation_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "incidents_drillId_unique" UNIQUE("drill_id")
);
--> statement-breakpoint
CREATE TABLE "reporting_presets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"key" text NOT NULL,
	"within_minutes" integer NOT NULL,
	"min_level" text NOT NULL,
	"recipient" jsonb NOT NULL,
	"required_fields" jsonb NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	CONSTRAINT "reporting_presets_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "programme_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"year" integer NOT NULL,
	"kind" "programme_kind" DEFAULT 'drill' NOT NULL,
	"project" text NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"mode" text DEFAULT '' NOT NULL,
	"planned_date" date NOT NULL,
	"departments" text DEFAULT '' NOT NULL,
	"arrangement" text DEFAULT '' NOT NULL,
	"budget" text DEFAULT '' NOT NULL,
	"drill_id" uuid,
	"done_at" timestamp with time zone,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_plan_id_emergency_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."emergency_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_injects" ADD CONSTRAINT "drill_injects_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_participants" ADD CONSTRAINT "drill_participants_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_participants" ADD CONSTRAINT "drill_participants_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drills" ADD CONSTRAINT "drills_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_versions_plan_id_number_index" ON "plan_versions" USING btree ("plan_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_versions_one_draft" ON "plan_versions" USING btree ("plan_id") WHERE status = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "timeline_entries_stream_id_seq_index" ON "timeline_entries" USING btree ("stream_id","seq");--> statement-breakpoint
CREATE INDEX "timeline_entries_stream_id_at_index" ON "timeline_entries" USING btree ("stream_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_injects_drill_id_key_index" ON "drill_injects" USING btree ("drill_id","key");--> statement-breakpoint
CREATE INDEX "drill_injects_status_drill_id_index" ON "drill_injects" USING btree ("status","drill_id");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_participants_drill_id_person_id_index" ON "drill_participants" USING btree ("drill_id","person_id");
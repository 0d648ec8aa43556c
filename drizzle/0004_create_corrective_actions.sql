CREATE TYPE "public"."corrective_action_priority" AS ENUM('high', 'medium', 'low');--> statement-breakpoint
CREATE TYPE "public"."corrective_action_source" AS ENUM('finding', 'lesson', 'objective', 'other');--> statement-breakpoint
CREATE TYPE "public"."corrective_action_status" AS ENUM('open', 'in_progress', 'done', 'verified');--> statement-breakpoint
CREATE TABLE "corrective_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"drill_id" uuid,
	"incident_id" uuid,
	"source_kind" "corrective_action_source" DEFAULT 'other' NOT NULL,
	"source_ref" text,
	"owner_person_id" uuid NOT NULL,
	"due_date" date NOT NULL,
	"priority" "corrective_action_priority" DEFAULT 'medium' NOT NULL,
	"status" "corrective_action_status" DEFAULT 'open' NOT NULL,
	"done_at" timestamp with time zone,
	"done_note" text,
	"verified_at" timestamp with time zone,
	"verified_by" text,
	"verification_evidence" text
);
--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_owner_person_id_people_id_fk" FOREIGN KEY ("owner_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;
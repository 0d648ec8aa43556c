CREATE TYPE "public"."lesson_kind" AS ENUM('went_well', 'to_improve', 'accountability');--> statement-breakpoint
CREATE TYPE "public"."objective_rating" AS ENUM('met', 'partly_met', 'not_met');--> statement-breakpoint
CREATE TABLE "drill_lessons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"drill_id" uuid NOT NULL,
	"kind" "lesson_kind" NOT NULL,
	"text" text NOT NULL,
	"author_name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objective_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"drill_id" uuid NOT NULL,
	"objective_key" text NOT NULL,
	"rating" "objective_rating" NOT NULL,
	"evidence" text NOT NULL,
	"indicators" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rater_id" uuid,
	"rater_name" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "drill_lessons" ADD CONSTRAINT "drill_lessons_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objective_ratings" ADD CONSTRAINT "objective_ratings_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "objective_ratings_drill_id_objective_key_rater_name_index" ON "objective_ratings" USING btree ("drill_id","objective_key","rater_name");
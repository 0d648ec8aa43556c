CREATE TYPE "public"."custody_action" AS ENUM('collected', 'viewed', 'downloaded', 'exported', 'parsed', 'searched');--> statement-breakpoint
CREATE TYPE "public"."evidence_ingest_status" AS ENUM('stored', 'parsing', 'parsed', 'failed');--> statement-breakpoint
CREATE TABLE "evidence_custody" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"evidence_id" uuid NOT NULL,
	"action" "custody_action" NOT NULL,
	"actor_label" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"detail" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evidence_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" uuid NOT NULL,
	"evidence_id" uuid NOT NULL,
	"time" timestamp with time zone,
	"host" text,
	"source" text NOT NULL,
	"type" text NOT NULL,
	"user_name" text,
	"src_ip" "inet",
	"target" text,
	"action" text,
	"outcome" text,
	"message" text DEFAULT '' NOT NULL,
	"fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"line_no" integer NOT NULL,
	"raw_offset" bigint NOT NULL,
	"raw_length" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"incident_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"content_sha256" text NOT NULL,
	"content_size" bigint NOT NULL,
	"gzip" boolean DEFAULT false NOT NULL,
	"media_type" text DEFAULT 'application/octet-stream' NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"collected_by" text NOT NULL,
	"origin" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	"parser" text,
	"encoding" text,
	"status" "evidence_ingest_status" DEFAULT 'stored' NOT NULL,
	"report" jsonb,
	"generated" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evidence_custody" ADD CONSTRAINT "evidence_custody_evidence_id_evidence_files_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."evidence_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_custody_evidence_id_at_index" ON "evidence_custody" USING btree ("evidence_id","at");--> statement-breakpoint
CREATE INDEX "evidence_events_incident_id_time_index" ON "evidence_events" USING btree ("incident_id","time");--> statement-breakpoint
CREATE INDEX "evidence_events_incident_id_user_name_index" ON "evidence_events" USING btree ("incident_id","user_name");--> statement-breakpoint
CREATE INDEX "evidence_events_incident_id_src_ip_index" ON "evidence_events" USING btree ("incident_id","src_ip");--> statement-breakpoint
CREATE INDEX "evidence_events_evidence_id_index" ON "evidence_events" USING btree ("evidence_id");--> statement-breakpoint
CREATE INDEX "evidence_files_incident_id_index" ON "evidence_files" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "evidence_files_sha256_index" ON "evidence_files" USING btree ("sha256");
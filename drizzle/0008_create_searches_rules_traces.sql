CREATE TABLE "detection_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rule_id" text NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "detection_rules_ruleId_unique" UNIQUE("rule_id")
);
--> statement-breakpoint
CREATE TABLE "detection_settings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"key" text DEFAULT 'detection' NOT NULL,
	"placeholders" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"disabled_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	CONSTRAINT "detection_settings_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "drill_traces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"drill_id" uuid NOT NULL,
	"scenario_key" text NOT NULL,
	"seed" text NOT NULL,
	"truth" jsonb NOT NULL,
	"evidence_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "drill_traces_drillId_unique" UNIQUE("drill_id")
);
--> statement-breakpoint
CREATE TABLE "saved_searches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"incident_id" uuid,
	"name" text NOT NULL,
	"query" jsonb NOT NULL,
	"created_by" text NOT NULL
);

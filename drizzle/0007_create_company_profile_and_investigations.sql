CREATE TABLE "company_profile" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"key" text DEFAULT 'company' NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"name_en" text DEFAULT '' NOT NULL,
	"department" text DEFAULT '' NOT NULL,
	CONSTRAINT "company_profile_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "incident_investigations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"incident_id" uuid NOT NULL,
	"investigators" text DEFAULT '' NOT NULL,
	"consequences" text DEFAULT '' NOT NULL,
	"root_cause" text DEFAULT '' NOT NULL,
	"leak_source" text DEFAULT '' NOT NULL,
	"actors" text DEFAULT '' NOT NULL,
	"measures_effectiveness" text DEFAULT '' NOT NULL,
	"lessons" text DEFAULT '' NOT NULL,
	"preventive_measures" text DEFAULT '' NOT NULL,
	"reported_to" text DEFAULT '' NOT NULL,
	"conclusion" text DEFAULT '' NOT NULL,
	CONSTRAINT "incident_investigations_incidentId_unique" UNIQUE("incident_id")
);

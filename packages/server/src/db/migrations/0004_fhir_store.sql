CREATE TABLE "fhir_resource_versions" (
	"id" uuid NOT NULL,
	"version_id" integer NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid,
	"resource_type" text NOT NULL,
	"last_updated" timestamp with time zone NOT NULL,
	"resource" jsonb NOT NULL,
	CONSTRAINT "fhir_resource_versions_id_version_id_pk" PRIMARY KEY("id","version_id")
);
--> statement-breakpoint
CREATE TABLE "result_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text,
	"held_by" uuid,
	"held_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	"released_by" uuid,
	CONSTRAINT "result_holds_kind_check" CHECK ("result_holds"."kind" in ('patient_preference','clinician')),
	CONSTRAINT "result_holds_clinician_check" CHECK ("result_holds"."kind" <> 'clinician' or ("result_holds"."reason" is not null and "result_holds"."held_until" is not null and "result_holds"."held_by" is not null))
);
--> statement-breakpoint
DROP INDEX "fhir_resources_patient_code_idx";--> statement-breakpoint
ALTER TABLE "fhir_resources" ALTER COLUMN "patient_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "results_release" text DEFAULT 'immediate' NOT NULL;--> statement-breakpoint
ALTER TABLE "fhir_resources" ADD COLUMN "organization_id" uuid;--> statement-breakpoint
UPDATE "fhir_resources" SET "organization_id" = "patients"."organization_id" FROM "patients" WHERE "patients"."id" = "fhir_resources"."patient_id";--> statement-breakpoint
ALTER TABLE "fhir_resources" ALTER COLUMN "organization_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "fhir_resources" ADD COLUMN "encounter_id" uuid;--> statement-breakpoint
ALTER TABLE "fhir_resources" ADD COLUMN "identifiers" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "fhir_resources" ADD COLUMN "sensitive_category" text;--> statement-breakpoint
ALTER TABLE "fhir_resource_versions" ADD CONSTRAINT "fhir_resource_versions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fhir_resource_versions" ADD CONSTRAINT "fhir_resource_versions_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_comments" ADD CONSTRAINT "result_comments_resource_id_fhir_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."fhir_resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_comments" ADD CONSTRAINT "result_comments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_comments" ADD CONSTRAINT "result_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_holds" ADD CONSTRAINT "result_holds_resource_id_fhir_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."fhir_resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_holds" ADD CONSTRAINT "result_holds_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_holds" ADD CONSTRAINT "result_holds_held_by_users_id_fk" FOREIGN KEY ("held_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_holds" ADD CONSTRAINT "result_holds_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fhir_resource_versions_patient_idx" ON "fhir_resource_versions" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "result_comments_resource_idx" ON "result_comments" USING btree ("resource_id","created_at");--> statement-breakpoint
CREATE INDEX "result_holds_patient_idx" ON "result_holds" USING btree ("patient_id","resource_id") WHERE "result_holds"."released_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "result_holds_active_key" ON "result_holds" USING btree ("resource_id","kind") WHERE "result_holds"."released_at" is null;--> statement-breakpoint
ALTER TABLE "fhir_resources" ADD CONSTRAINT "fhir_resources_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fhir_resources_patient_encounter_idx" ON "fhir_resources" USING btree ("patient_id","encounter_id") WHERE "fhir_resources"."encounter_id" is not null;--> statement-breakpoint
CREATE INDEX "fhir_resources_identifiers_idx" ON "fhir_resources" USING gin ("identifiers");--> statement-breakpoint
CREATE INDEX "fhir_resources_patient_code_idx" ON "fhir_resources" USING btree ("patient_id","code","effective_at");--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_results_release_check" CHECK ("patients"."results_release" in ('immediate','after_review'));--> statement-breakpoint
ALTER TABLE "fhir_resources" ADD CONSTRAINT "fhir_resources_sensitive_category_check" CHECK ("fhir_resources"."sensitive_category" is null or "fhir_resources"."sensitive_category" in ('mental_health','substance_use','sexual_reproductive','hiv','genetics'));
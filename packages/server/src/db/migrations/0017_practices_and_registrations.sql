CREATE TABLE "practices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"phone" text,
	"fax" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "practices_name_check" CHECK (length("practices"."name") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "provider_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"credentials" text,
	"npi" text NOT NULL,
	"email" text NOT NULL,
	"phone" text NOT NULL,
	"fax" text,
	"practice_id" uuid,
	"practice_name" text,
	"practice_address" text,
	"practice_phone" text,
	"practice_fax" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_registrations_status_check" CHECK ("provider_registrations"."status" in ('pending','approved','rejected')),
	CONSTRAINT "provider_registrations_npi_check" CHECK ("provider_registrations"."npi" ~ '^[12][0-9]{9}$'),
	CONSTRAINT "provider_registrations_practice_check" CHECK ("provider_registrations"."practice_id" is not null or "provider_registrations"."practice_name" is not null),
	CONSTRAINT "provider_registrations_decision_check" CHECK (("provider_registrations"."status" = 'pending') = ("provider_registrations"."decided_at" is null) and ("provider_registrations"."status" <> 'approved' or "provider_registrations"."user_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "npi" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "practice_id" uuid;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "sponsor_user_id" uuid;--> statement-breakpoint
ALTER TABLE "practices" ADD CONSTRAINT "practices_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_registrations" ADD CONSTRAINT "provider_registrations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_registrations" ADD CONSTRAINT "provider_registrations_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_registrations" ADD CONSTRAINT "provider_registrations_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_registrations" ADD CONSTRAINT "provider_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "practices_org_name_idx" ON "practices" USING btree ("organization_id",lower("name"));--> statement-breakpoint
CREATE INDEX "provider_registrations_queue_idx" ON "provider_registrations" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_registrations_pending_npi_key" ON "provider_registrations" USING btree ("organization_id","npi") WHERE "provider_registrations"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_practice_id_practices_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_sponsor_user_id_users_id_fk" FOREIGN KEY ("sponsor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_npi_key" ON "users" USING btree ("npi");--> statement-breakpoint
CREATE INDEX "patients_org_pcp_idx" ON "patients" USING btree ("organization_id","pcp_id");--> statement-breakpoint
CREATE INDEX "memberships_practice_idx" ON "memberships" USING btree ("practice_id","role") WHERE "memberships"."ended_at" is null;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_npi_check" CHECK ("users"."npi" ~ '^[12][0-9]{9}$');--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_practice_check" CHECK (("memberships"."kind" = 'practice') = ("memberships"."practice_id" is not null));--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_sponsor_check" CHECK (("memberships"."role" = 'sponsored_staff') = ("memberships"."sponsor_user_id" is not null));
CREATE TABLE "error_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"page" text NOT NULL,
	"description" text NOT NULL,
	"screenshot" "bytea",
	"screenshot_type" text,
	"status" text DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "error_reports_status_check" CHECK ("error_reports"."status" in ('open','answered')),
	CONSTRAINT "error_reports_description_check" CHECK (length("error_reports"."description") between 1 and 4000),
	CONSTRAINT "error_reports_page_check" CHECK (length("error_reports"."page") between 1 and 300),
	CONSTRAINT "error_reports_screenshot_check" CHECK (("error_reports"."screenshot" is null) = ("error_reports"."screenshot_type" is null)),
	CONSTRAINT "error_reports_screenshot_type_check" CHECK ("error_reports"."screenshot_type" is null or "error_reports"."screenshot_type" in ('image/png','image/jpeg')),
	CONSTRAINT "error_reports_answered_check" CHECK (("error_reports"."status" = 'answered') = ("error_reports"."answered_at" is not null)),
	CONSTRAINT "error_reports_size_check" CHECK ("error_reports"."screenshot" is null or octet_length("error_reports"."screenshot") <= 2097152)
);
--> statement-breakpoint
CREATE TABLE "outside_access_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"requester_user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"routed_to" text NOT NULL,
	"reason" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"grant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outside_access_requests_kind_check" CHECK ("outside_access_requests"."kind" in ('pcp','non_pcp')),
	CONSTRAINT "outside_access_requests_routed_check" CHECK ("outside_access_requests"."routed_to" in ('patient','support') and ("outside_access_requests"."kind" = 'non_pcp' or "outside_access_requests"."routed_to" = 'support')),
	CONSTRAINT "outside_access_requests_status_check" CHECK ("outside_access_requests"."status" in ('pending','approved','denied','cancelled')),
	CONSTRAINT "outside_access_requests_reason_check" CHECK ("outside_access_requests"."reason" is null or length("outside_access_requests"."reason") <= 1000),
	CONSTRAINT "outside_access_requests_decision_check" CHECK (("outside_access_requests"."status" = 'pending') = ("outside_access_requests"."decided_at" is null))
);
--> statement-breakpoint
CREATE TABLE "practice_change_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"old_practice_id" uuid,
	"new_practice_id" uuid,
	"new_practice_name" text,
	"new_practice_address" text,
	"new_practice_phone" text,
	"new_practice_fax" text,
	"new_email" text,
	"was_sponsor" boolean NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "practice_change_requests_status_check" CHECK ("practice_change_requests"."status" in ('pending','applied','declined')),
	CONSTRAINT "practice_change_requests_new_check" CHECK ("practice_change_requests"."new_practice_id" is not null or "practice_change_requests"."new_practice_name" is not null)
);
--> statement-breakpoint
CREATE TABLE "provider_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"label" text NOT NULL,
	"issued_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"redeemed_by" uuid,
	"redeemed_at" timestamp with time zone,
	"grant_id" uuid,
	CONSTRAINT "provider_tokens_label_check" CHECK (length("provider_tokens"."label") between 1 and 200),
	CONSTRAINT "provider_tokens_period_check" CHECK ("provider_tokens"."expires_at" > "provider_tokens"."created_at"),
	CONSTRAINT "provider_tokens_redeemed_check" CHECK (("provider_tokens"."redeemed_at" is null) = ("provider_tokens"."grant_id" is null))
);
--> statement-breakpoint
CREATE TABLE "sponsor_validations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"sponsor_user_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"notified_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsor_validations_period_check" CHECK (extract(day from "sponsor_validations"."period_start") = 1 and extract(month from "sponsor_validations"."period_start") in (4, 10))
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "non_pcp_requests_to" text DEFAULT 'patient' NOT NULL;--> statement-breakpoint
ALTER TABLE "error_reports" ADD CONSTRAINT "error_reports_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "error_reports" ADD CONSTRAINT "error_reports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "error_reports" ADD CONSTRAINT "error_reports_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outside_access_requests" ADD CONSTRAINT "outside_access_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outside_access_requests" ADD CONSTRAINT "outside_access_requests_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outside_access_requests" ADD CONSTRAINT "outside_access_requests_requester_user_id_users_id_fk" FOREIGN KEY ("requester_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outside_access_requests" ADD CONSTRAINT "outside_access_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outside_access_requests" ADD CONSTRAINT "outside_access_requests_grant_id_access_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_change_requests" ADD CONSTRAINT "practice_change_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_change_requests" ADD CONSTRAINT "practice_change_requests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_change_requests" ADD CONSTRAINT "practice_change_requests_old_practice_id_practices_id_fk" FOREIGN KEY ("old_practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_change_requests" ADD CONSTRAINT "practice_change_requests_new_practice_id_practices_id_fk" FOREIGN KEY ("new_practice_id") REFERENCES "public"."practices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_change_requests" ADD CONSTRAINT "practice_change_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_tokens" ADD CONSTRAINT "provider_tokens_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_tokens" ADD CONSTRAINT "provider_tokens_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_tokens" ADD CONSTRAINT "provider_tokens_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_tokens" ADD CONSTRAINT "provider_tokens_redeemed_by_users_id_fk" FOREIGN KEY ("redeemed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_tokens" ADD CONSTRAINT "provider_tokens_grant_id_access_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsor_validations" ADD CONSTRAINT "sponsor_validations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsor_validations" ADD CONSTRAINT "sponsor_validations_sponsor_user_id_users_id_fk" FOREIGN KEY ("sponsor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsor_validations" ADD CONSTRAINT "sponsor_validations_completed_by_users_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "error_reports_queue_idx" ON "error_reports" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE INDEX "error_reports_user_idx" ON "error_reports" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "outside_access_requests_queue_idx" ON "outside_access_requests" USING btree ("organization_id","routed_to","status","created_at");--> statement-breakpoint
CREATE INDEX "outside_access_requests_patient_idx" ON "outside_access_requests" USING btree ("patient_id","status");--> statement-breakpoint
CREATE INDEX "outside_access_requests_requester_idx" ON "outside_access_requests" USING btree ("requester_user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outside_access_requests_pending_key" ON "outside_access_requests" USING btree ("requester_user_id","patient_id","kind") WHERE "outside_access_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "practice_change_requests_queue_idx" ON "practice_change_requests" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "practice_change_requests_pending_key" ON "practice_change_requests" USING btree ("user_id") WHERE "practice_change_requests"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "provider_tokens_hash_key" ON "provider_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "provider_tokens_patient_idx" ON "provider_tokens" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sponsor_validations_period_key" ON "sponsor_validations" USING btree ("sponsor_user_id","period_start");--> statement-breakpoint
CREATE INDEX "sponsor_validations_open_idx" ON "sponsor_validations" USING btree ("sponsor_user_id","due_at") WHERE "sponsor_validations"."completed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "access_grants_active_outside_key" ON "access_grants" USING btree ("grantee_user_id","patient_id","kind") WHERE "access_grants"."kind" in ('care_team','approved_request') and "access_grants"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_non_pcp_requests_to_check" CHECK ("organizations"."non_pcp_requests_to" in ('patient','support'));
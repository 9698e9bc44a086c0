CREATE TABLE "proxy_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"requester_user_id" uuid NOT NULL,
	"child_given_name" text NOT NULL,
	"child_family_name" text NOT NULL,
	"child_birth_date" date NOT NULL,
	"relationship" text NOT NULL,
	"note" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"patient_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"grant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proxy_requests_relationship_check" CHECK ("proxy_requests"."relationship" in ('parent','legal_guardian')),
	CONSTRAINT "proxy_requests_status_check" CHECK ("proxy_requests"."status" in ('pending','approved','denied','cancelled')),
	CONSTRAINT "proxy_requests_decision_check" CHECK (("proxy_requests"."status" = 'approved') = ("proxy_requests"."grant_id" is not null and "proxy_requests"."patient_id" is not null)
        and ("proxy_requests"."status" <> 'denied' or "proxy_requests"."decision_reason" is not null)
        and (("proxy_requests"."status" in ('approved','denied')) = ("proxy_requests"."decided_by" is not null and "proxy_requests"."decided_at" is not null)))
);
--> statement-breakpoint
CREATE TABLE "proxy_setups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grant_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"set_up_by" uuid NOT NULL,
	"identity_method" text NOT NULL,
	"note" text,
	"document_name" text,
	"document_type" text,
	"document" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proxy_setups_identity_method_check" CHECK ("proxy_setups"."identity_method" in ('photo_id','birth_certificate','court_order','power_of_attorney','other')),
	CONSTRAINT "proxy_setups_document_check" CHECK (("proxy_setups"."document" is null) = ("proxy_setups"."document_name" is null and "proxy_setups"."document_type" is null))
);
--> statement-breakpoint
CREATE TABLE "share_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"label" text NOT NULL,
	"scope" text NOT NULL,
	"recipient_email" text,
	"token_hash" text NOT NULL,
	"passcode_hash" text NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"open_count" integer DEFAULT 0 NOT NULL,
	"last_opened_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"locked_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	CONSTRAINT "share_links_scope_check" CHECK ("share_links"."scope" in ('summary','download')),
	CONSTRAINT "share_links_expiry_check" CHECK ("share_links"."expires_at" > "share_links"."created_at" and "share_links"."expires_at" <= "share_links"."created_at" + interval '721 hours'),
	CONSTRAINT "share_links_attempts_check" CHECK ("share_links"."failed_attempts" >= 0 and "share_links"."open_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_requester_user_id_users_id_fk" FOREIGN KEY ("requester_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_requests" ADD CONSTRAINT "proxy_requests_grant_id_access_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_setups" ADD CONSTRAINT "proxy_setups_grant_id_access_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_setups" ADD CONSTRAINT "proxy_setups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_setups" ADD CONSTRAINT "proxy_setups_set_up_by_users_id_fk" FOREIGN KEY ("set_up_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "proxy_requests_queue_idx" ON "proxy_requests" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE INDEX "proxy_requests_requester_idx" ON "proxy_requests" USING btree ("requester_user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "proxy_setups_grant_key" ON "proxy_setups" USING btree ("grant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "share_links_token_key" ON "share_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "share_links_patient_idx" ON "share_links" USING btree ("patient_id","created_at");
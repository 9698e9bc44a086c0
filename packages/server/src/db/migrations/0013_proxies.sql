CREATE TABLE "proxy_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"invited_by" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"areas" text[] DEFAULT '{}'::text[] NOT NULL,
	"token_hash" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_by" uuid,
	"accepted_at" timestamp with time zone,
	"grant_id" uuid,
	CONSTRAINT "proxy_invitations_level_check" CHECK ("proxy_invitations"."level" in ('full','areas')),
	CONSTRAINT "proxy_invitations_status_check" CHECK ("proxy_invitations"."status" in ('pending','accepted','expired','cancelled','locked')),
	CONSTRAINT "proxy_invitations_attempts_check" CHECK ("proxy_invitations"."failed_attempts" >= 0),
	CONSTRAINT "proxy_invitations_accepted_check" CHECK (("proxy_invitations"."status" = 'accepted') = ("proxy_invitations"."grant_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
-- Hand-added: an existing organization's zone is its first department's (the clinics' location), else UTC.
UPDATE "organizations" o SET "time_zone" = d."time_zone"
  FROM (SELECT DISTINCT ON ("organization_id") "organization_id", "time_zone" FROM "departments" ORDER BY "organization_id", "id") d
  WHERE d."organization_id" = o."id";--> statement-breakpoint
ALTER TABLE "access_grants" ADD COLUMN "revoke_reason" text;--> statement-breakpoint
ALTER TABLE "access_grants" ADD COLUMN "relationship" text;--> statement-breakpoint
ALTER TABLE "proxy_invitations" ADD CONSTRAINT "proxy_invitations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_invitations" ADD CONSTRAINT "proxy_invitations_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_invitations" ADD CONSTRAINT "proxy_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_invitations" ADD CONSTRAINT "proxy_invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_invitations" ADD CONSTRAINT "proxy_invitations_grant_id_access_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "proxy_invitations_token_key" ON "proxy_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "proxy_invitations_patient_idx" ON "proxy_invitations" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "access_grants_active_proxy_key" ON "access_grants" USING btree ("grantee_user_id","patient_id") WHERE "access_grants"."kind" = 'proxy' and "access_grants"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_relationship_check" CHECK ("access_grants"."relationship" is null or ("access_grants"."kind" = 'proxy' and "access_grants"."relationship" in ('guardian','invited','legal_representative')));
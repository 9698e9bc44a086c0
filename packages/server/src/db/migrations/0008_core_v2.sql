CREATE TABLE "audit_blocks" (
	"seq" integer PRIMARY KEY NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"event_count" integer NOT NULL,
	"first_event_id" bigint NOT NULL,
	"last_event_id" bigint NOT NULL,
	"merkle_root" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_seals" (
	"event_id" bigint PRIMARY KEY NOT NULL,
	"block_seq" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "access_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grantee_user_id" uuid,
	"grantee_app_id" text,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"categories" text[] NOT NULL,
	"sensitive_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"reason" text,
	"granted_by" uuid,
	"starts_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ends_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_grants_grantee_check" CHECK (num_nonnulls("access_grants"."grantee_user_id", "access_grants"."grantee_app_id") = 1),
	CONSTRAINT "access_grants_kind_check" CHECK ("access_grants"."kind" in ('proxy','care_team','approved_request','token','break_glass','app','share_link')),
	CONSTRAINT "access_grants_level_check" CHECK ("access_grants"."level" in ('full','limited','read')),
	CONSTRAINT "access_grants_period_check" CHECK ("access_grants"."ends_at" is null or "access_grants"."ends_at" > "access_grants"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "memberships_kind_check" CHECK ("memberships"."kind" in ('staff','practice','support')),
	CONSTRAINT "memberships_role_check" CHECK (("memberships"."kind" = 'staff' and "memberships"."role" in ('clinician','nurse','front_desk','billing','admin'))
        or ("memberships"."kind" = 'practice' and "memberships"."role" in ('outside_provider','sponsored_staff'))
        or ("memberships"."kind" = 'support' and "memberships"."role" = 'support'))
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_role_check";--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_grantee_user_id_users_id_fk" FOREIGN KEY ("grantee_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_seals_block_idx" ON "audit_seals" USING btree ("block_seq");--> statement-breakpoint
CREATE INDEX "access_grants_grantee_idx" ON "access_grants" USING btree ("grantee_user_id","patient_id") WHERE "access_grants"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "access_grants_patient_idx" ON "access_grants" USING btree ("patient_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_active_key" ON "memberships" USING btree ("user_id","kind","organization_id") WHERE "memberships"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "memberships_org_idx" ON "memberships" USING btree ("organization_id","role") WHERE "memberships"."ended_at" is null;--> statement-breakpoint
-- Roles become memberships (issue 9): staff and admins of their organization, outside practices, support. A patient's
-- own record follows from patients.user_id and needs no row.
INSERT INTO "memberships" ("user_id", "kind", "organization_id", "role", "created_at")
SELECT "id",
  CASE WHEN "role" IN ('outside_provider','sponsored_staff') THEN 'practice' WHEN "role" = 'support' THEN 'support' ELSE 'staff' END,
  "organization_id", "role", "created_at"
FROM "users"
WHERE "organization_id" IS NOT NULL AND "role" IN ('clinician','nurse','front_desk','billing','admin','outside_provider','sponsored_staff','support');
--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "role";--> statement-breakpoint
-- Blocks and seals are append-only like the events they cover (SECURITY.md "Audit").
CREATE TRIGGER audit_blocks_no_update BEFORE UPDATE OR DELETE ON audit_blocks
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_blocks_no_truncate BEFORE TRUNCATE ON audit_blocks
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE OR DELETE ON audit_seals
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
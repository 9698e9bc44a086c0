CREATE TABLE "organization_branding" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"primary_color" text NOT NULL,
	"logo" "bytea",
	"logo_type" text,
	"logo_sha256" text,
	"logo_width" integer,
	"logo_height" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "organization_branding_color_check" CHECK ("organization_branding"."primary_color" ~ '^#[0-9a-f]{6}$'),
	CONSTRAINT "organization_branding_logo_type_check" CHECK ("organization_branding"."logo_type" in ('image/png', 'image/jpeg')),
	CONSTRAINT "organization_branding_logo_check" CHECK (num_nulls("organization_branding"."logo", "organization_branding"."logo_type", "organization_branding"."logo_sha256", "organization_branding"."logo_width", "organization_branding"."logo_height") in (0, 5)),
	CONSTRAINT "organization_branding_logo_size_check" CHECK ("organization_branding"."logo" is null or octet_length("organization_branding"."logo") <= 204800)
);
--> statement-breakpoint
ALTER TABLE "organization_branding" ADD CONSTRAINT "organization_branding_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_branding" ADD CONSTRAINT "organization_branding_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
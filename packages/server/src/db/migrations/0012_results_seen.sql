CREATE TABLE "results_seen" (
	"user_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"seen_before" timestamp with time zone NOT NULL,
	"last_read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "results_seen_user_id_patient_id_pk" PRIMARY KEY("user_id","patient_id")
);
--> statement-breakpoint
ALTER TABLE "results_seen" ADD CONSTRAINT "results_seen_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results_seen" ADD CONSTRAINT "results_seen_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "result_holds_resource_idx" ON "result_holds" USING btree ("resource_id");
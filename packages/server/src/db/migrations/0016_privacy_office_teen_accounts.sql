ALTER TABLE "memberships" DROP CONSTRAINT "memberships_role_check";--> statement-breakpoint
ALTER TABLE "message_threads" DROP CONSTRAINT "message_threads_topic_check";--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "teen_account_age" integer DEFAULT 13 NOT NULL;--> statement-breakpoint
ALTER TABLE "message_threads" ADD COLUMN "access_event_id" bigint;--> statement-breakpoint
ALTER TABLE "message_threads" ADD CONSTRAINT "message_threads_access_event_id_audit_events_id_fk" FOREIGN KEY ("access_event_id") REFERENCES "public"."audit_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_teen_account_age_check" CHECK ("organizations"."teen_account_age" in (12, 13));--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_role_check" CHECK (("memberships"."kind" = 'staff' and "memberships"."role" in ('clinician','nurse','front_desk','billing','admin','privacy_officer'))
        or ("memberships"."kind" = 'practice' and "memberships"."role" in ('outside_provider','sponsored_staff'))
        or ("memberships"."kind" = 'support' and "memberships"."role" = 'support'));--> statement-breakpoint
ALTER TABLE "message_threads" ADD CONSTRAINT "message_threads_topic_check" CHECK ("message_threads"."topic" in ('medical_question','prescription_question','test_result_question','appointment','billing','other','refill','privacy'));
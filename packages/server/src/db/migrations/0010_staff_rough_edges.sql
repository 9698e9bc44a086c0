-- Issue 10 §5: thread state "acknowledged" (a holding reply), holding replies and quick replies, the organization setting
-- that lets nurses mark arrival (off), indexes for "addressed to me". Existing rows stay as they are: every stored status
-- is still allowed, existing messages and quick replies are not holding (nothing says they were), no organization turns
-- the setting on. All of it runs in the migrator's one transaction.
ALTER TABLE "message_threads" DROP CONSTRAINT "message_threads_status_check";--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "nurses_mark_arrival" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "message_templates" ADD COLUMN "holding" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "holding" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "message_threads_assigned_idx" ON "message_threads" USING btree ("assigned_to","last_activity_at");--> statement-breakpoint
CREATE INDEX "message_threads_clinician_idx" ON "message_threads" USING btree ("clinician_id","last_activity_at");--> statement-breakpoint
ALTER TABLE "message_threads" ADD CONSTRAINT "message_threads_status_check" CHECK ("message_threads"."status" in ('waiting','acknowledged','answered','closed'));--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_holding_check" CHECK (not ("messages"."holding" and "messages"."internal"));
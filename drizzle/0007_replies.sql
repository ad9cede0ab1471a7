ALTER TABLE `messages` ADD `reply_state` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `reply_error` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `sent_at` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `posted_ref` text;--> statement-breakpoint
CREATE INDEX `deliveries_message` ON `deliveries` (`message_id`,`kind`) WHERE "deliveries"."message_id" IS NOT NULL;
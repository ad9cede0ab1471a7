ALTER TABLE `events` ADD `key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `events_key` ON `events` (`key`) WHERE "events"."key" IS NOT NULL;
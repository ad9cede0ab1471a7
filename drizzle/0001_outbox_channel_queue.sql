DROP INDEX `deliveries_due`;--> statement-breakpoint
CREATE INDEX `deliveries_channel_queue` ON `deliveries` (`status`,`platform`,`channel`,`id`);
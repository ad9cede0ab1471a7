DROP INDEX `inquiries_received_at`;--> statement-breakpoint
DROP INDEX `inquiries_reason_received_at`;--> statement-breakpoint
CREATE INDEX `inquiries_received_at_reason` ON `inquiries` (`received_at`,`reason_id`);
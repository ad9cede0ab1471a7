CREATE TABLE `source_cursors` (
	`platform` text NOT NULL,
	`channel` text NOT NULL,
	`last_message_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `channel`)
);

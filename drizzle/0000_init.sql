CREATE TABLE `digest_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`digest_name` text NOT NULL,
	`period` text NOT NULL,
	`period_start` text NOT NULL,
	`delivery_id` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_runs_digest_period` ON `digest_runs` (`digest_name`,`period_start`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`key` text NOT NULL,
	`name` text,
	`email` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_source_key` ON `customers` (`source`,`key`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inquiry_id` integer NOT NULL,
	`type` text NOT NULL,
	`actor_id` text,
	`actor_name` text,
	`data` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`inquiry_id`) REFERENCES `inquiries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_inquiry` ON `events` (`inquiry_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_created_at` ON `events` (`created_at`);--> statement-breakpoint
CREATE TABLE `inquiries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`external_id` text,
	`customer_id` integer,
	`subject` text,
	`body` text NOT NULL,
	`url` text,
	`reason_id` text,
	`reason_source` text,
	`reason_confidence` real,
	`status` text DEFAULT 'open' NOT NULL,
	`assignee_id` text,
	`assignee_name` text,
	`metadata` text,
	`received_at` integer NOT NULL,
	`first_response_at` integer,
	`resolved_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inquiries_source_external_id` ON `inquiries` (`source`,`external_id`) WHERE "inquiries"."external_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `inquiries_received_at` ON `inquiries` (`received_at`);--> statement-breakpoint
CREATE INDEX `inquiries_status_received_at` ON `inquiries` (`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `inquiries_reason_received_at` ON `inquiries` (`reason_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `inquiries_customer_received_at` ON `inquiries` (`customer_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inquiry_id` integer NOT NULL,
	`direction` text NOT NULL,
	`body` text NOT NULL,
	`author_id` text,
	`author_name` text,
	`external_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`inquiry_id`) REFERENCES `inquiries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_inquiry` ON `messages` (`inquiry_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_inquiry_external_id` ON `messages` (`inquiry_id`,`external_id`) WHERE "messages"."external_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_created_at` ON `messages` (`created_at`);--> statement-breakpoint
CREATE TABLE `mirrors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inquiry_id` integer NOT NULL,
	`destination` text NOT NULL,
	`platform` text NOT NULL,
	`channel` text NOT NULL,
	`message_ref` text NOT NULL,
	`thread_ref` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`inquiry_id`) REFERENCES `inquiries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mirrors_inquiry_destination` ON `mirrors` (`inquiry_id`,`destination`);--> statement-breakpoint
CREATE UNIQUE INDEX `mirrors_message` ON `mirrors` (`platform`,`channel`,`message_ref`);--> statement-breakpoint
CREATE TABLE `reactions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inquiry_id` integer NOT NULL,
	`mirror_id` integer,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text,
	`emoji` text NOT NULL,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	FOREIGN KEY (`inquiry_id`) REFERENCES `inquiries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mirror_id`) REFERENCES `mirrors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reactions_live` ON `reactions` (`inquiry_id`,`user_id`,`emoji`) WHERE "reactions"."removed_at" IS NULL;--> statement-breakpoint
CREATE INDEX `reactions_created_at` ON `reactions` (`created_at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`inquiry_id` integer,
	`message_id` integer,
	`destination` text NOT NULL,
	`platform` text NOT NULL,
	`channel` text NOT NULL,
	`payload` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`locked_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_inquiry_destination` ON `deliveries` (`inquiry_id`,`destination`,`id`);--> statement-breakpoint
CREATE TABLE `inbound_events` (
	`key` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_directory` (
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `user_id`)
);

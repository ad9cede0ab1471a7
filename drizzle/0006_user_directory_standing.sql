ALTER TABLE `user_directory` ADD `team_id` text;--> statement-breakpoint
ALTER TABLE `user_directory` ADD `standing` text;
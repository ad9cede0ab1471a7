/**
 * Chat users as koe last looked them up from their platform: the display name, for mirrors and
 * digests, and where they stood (their team; full member, guest, stranger, bot or deleted), so
 * who is staff can still be decided while the platform does not answer.
 */
export interface KnownNames {
  /** What was stored and when it was fetched, or undefined when never looked up. */
  get(platform: string, userId: string): KnownUser | undefined;
  /** Stores the name, and where the user stands (null: not known). */
  put(platform: string, userId: string, name: string, nowMs: number, standing?: UserStanding | null): void;
}

/** Where a user stood in their platform when last looked up. */
export interface UserStanding {
  teamId: string | null;
  kind: 'member' | 'guest' | 'stranger' | 'bot' | 'deleted';
}

export interface KnownUser {
  name: string;
  fetchedAtMs: number;
  /** Null for users stored before koe kept it, or looked up without it. */
  standing: UserStanding | null;
}

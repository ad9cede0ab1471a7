/** Display names of chat users, looked up once from their platform and kept, for mirrors and digests. */
export interface KnownNames {
  /** The stored name and when it was fetched, or undefined when never looked up. */
  get(platform: string, userId: string): { name: string; fetchedAtMs: number } | undefined;
  put(platform: string, userId: string, name: string, nowMs: number): void;
}

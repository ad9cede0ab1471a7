import type { KnownNames, UserStanding } from '../../core/ports/known-names.ts';
import type { Logger } from '../../lib/logger.ts';
import { slackErrorCode, type WebClient } from './web-client.ts';

/** What koe needs to know about a Slack user: a name to show, and whether they are one of us. */
export interface SlackUser {
  id: string;
  name: string | null;
  teamId: string | null;
  isBot: boolean;
  /** Guests (single- or multi-channel) are outsiders even inside our workspace. */
  isGuest: boolean;
  /** Slack marks users it knows only through a shared channel as strangers. */
  isStranger: boolean;
  deleted: boolean;
}

export interface UserDirectory {
  /** The user's profile, from memory or `users.info`; null when Slack does not answer within `timeoutMs`. */
  lookup(userId: string, options?: { timeoutMs?: number }): Promise<SlackUser | null>;
  /**
   * The profile as last looked up, if that was within `STANDING_MAX_AGE_MS`: from memory, else from
   * the stored directory (which keeps each user's team and kind beside the name). Null when koe never
   * looked them up, stored them before it kept where users stand, or last heard of them longer ago
   * than that. For deciding while Slack does not answer.
   */
  lastKnown(userId: string): SlackUser | null;
  /** The stored display name, without asking Slack (for paths that must not wait). */
  cachedName(userId: string): string | null;
  /** The name now if known, and a lookup in the background so it is known next time. */
  nameSoon(userId: string, fallback?: string | null): string | null;
  /** Resolves when no lookup is in flight (so the database can be closed). */
  idle(): Promise<void>;
}

/** Names older than this are looked up again. */
const NAME_TTL_MS = 7 * 24 * 3_600_000;
/** Profiles (team, guest, bot flags) are kept in memory this long. */
const PROFILE_TTL_MS = 3_600_000;
/**
 * How long where a user stood (member, guest, stranger, their team) may stand in for Slack's answer
 * when `users.info` does not answer. Past it the standing counts as unknown, so the staff check
 * refuses rather than trust it: someone who left the workspace, or went from member to guest, is
 * not staff for ever on what koe once stored.
 */
export const STANDING_MAX_AGE_MS = 24 * 3_600_000;
/**
 * Profiles kept in memory at most. Every Slack user koe meets is looked up (customers in shared
 * channels included), so without a cap the map would grow with each new person; the one looked up
 * longest ago goes first, and the stored directory still has their name and standing.
 */
export const MAX_PROFILES = 5_000;

interface UsersInfoUser {
  id?: string;
  name?: string;
  real_name?: string;
  team_id?: string;
  is_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  deleted?: boolean;
  profile?: { display_name?: string; real_name?: string };
}

/** Users' names and flags, looked up once via `users.info` and cached in `user_directory`. */
export function createUserDirectory(options: {
  web: WebClient;
  names: KnownNames;
  log: Logger;
  now: () => number;
}): UserDirectory {
  const { web, names, log, now } = options;
  const profiles = new Map<string, { user: SlackUser; at: number }>();
  const pending = new Map<string, Promise<SlackUser | null>>();

  const readName = (userId: string) => names.get('slack', userId);

  /** Remembers a profile as the newest, forgetting the oldest past `MAX_PROFILES` (a Map keeps insertion order). */
  function remember(user: SlackUser): void {
    profiles.delete(user.id);
    profiles.set(user.id, { user, at: now() });
    if (profiles.size > MAX_PROFILES) {
      const oldest = profiles.keys().next().value;
      if (oldest !== undefined) profiles.delete(oldest);
    }
  }

  function store(user: SlackUser): void {
    if (user.name) names.put('slack', user.id, user.name, now(), standingFrom(user));
  }

  function fetchUser(userId: string): Promise<SlackUser | null> {
    const inFlight = pending.get(userId);
    if (inFlight) return inFlight;
    const request = web.users
      .info({ user: userId })
      .then((result) => {
        const u = (result.user ?? {}) as UsersInfoUser;
        const name = u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || null;
        const user: SlackUser = {
          id: userId,
          name,
          teamId: u.team_id ?? null,
          isBot: u.is_bot === true,
          isGuest: u.is_restricted === true || u.is_ultra_restricted === true,
          isStranger: u.is_stranger === true,
          deleted: u.deleted === true,
        };
        remember(user);
        store(user);
        return user;
      })
      .catch((error: unknown) => {
        if (slackErrorCode(error) === 'user_not_found') {
          // A definite answer, not a failure: someone Slack will not describe to us (a user of another
          // organisation hidden from us, or no user at all) is not one of our members. Treating them
          // as a stranger files their words as a customer's instead of failing the event for ever.
          const user: SlackUser = {
            id: userId,
            name: null,
            teamId: null,
            isBot: false,
            isGuest: false,
            isStranger: true,
            deleted: false,
          };
          remember(user);
          return user;
        }
        log.warn({ err: error, userId }, 'slack: users.info failed');
        return null;
      })
      .finally(() => pending.delete(userId));
    pending.set(userId, request);
    return request;
  }

  const directory: UserDirectory = {
    async lookup(userId, { timeoutMs } = {}) {
      const hit = profiles.get(userId);
      if (hit && now() - hit.at < PROFILE_TTL_MS) {
        profiles.delete(userId); // the newest again, so the cap forgets the least used first
        profiles.set(userId, hit);
        return hit.user;
      }
      const request = fetchUser(userId);
      if (timeoutMs === undefined) return request;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)));
      try {
        return await Promise.race([request, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    lastKnown(userId) {
      const recent = (atMs: number) => now() - atMs < STANDING_MAX_AGE_MS;
      const remembered = profiles.get(userId);
      if (remembered && recent(remembered.at)) return remembered.user;
      const stored = readName(userId);
      return stored?.standing && recent(stored.fetchedAtMs) ? fromStanding(userId, stored.name, stored.standing) : null;
    },
    cachedName(userId) {
      return profiles.get(userId)?.user.name ?? readName(userId)?.name ?? null;
    },
    nameSoon(userId, fallback = null) {
      const stored = readName(userId);
      const fresh = profiles.has(userId) || (stored !== undefined && now() - stored.fetchedAtMs < NAME_TTL_MS);
      if (!fresh) void fetchUser(userId);
      return profiles.get(userId)?.user.name ?? stored?.name ?? fallback;
    },
    async idle() {
      await Promise.allSettled([...pending.values()]);
    },
  };
  return directory;
}

/** A profile's flags as the stored directory keeps them: one kind, the most telling first. */
function standingFrom(user: SlackUser): UserStanding {
  const kind = user.isBot
    ? 'bot'
    : user.deleted
      ? 'deleted'
      : user.isStranger
        ? 'stranger'
        : user.isGuest
          ? 'guest'
          : 'member';
  return { teamId: user.teamId, kind };
}

function fromStanding(id: string, name: string, { teamId, kind }: UserStanding): SlackUser {
  return {
    id,
    name,
    teamId,
    isBot: kind === 'bot',
    isGuest: kind === 'guest',
    isStranger: kind === 'stranger',
    deleted: kind === 'deleted',
  };
}

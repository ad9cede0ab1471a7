/**
 * The `contact:` block of koe.config.yaml: the contact form koe serves itself at `/contact`
 * (src/intake/http/contact). It is an unauthenticated public page that stores what anyone sends,
 * so it is off until someone turns it on; each mistake is one sentence naming its setting.
 */
import { z } from 'zod';

/** What the HTTP server needs to serve the form, as load-config hands it out. */
export interface ContactSettings {
  /** Whether `/contact` is served at all; off by default (see the file's comment). */
  enabled: boolean;
  /** The sites that may show `/contact?embed=1` in an iframe (CSP `frame-ancestors`). */
  frameAncestors: string[];
  /** Submissions one address may make per window; `off` behind a reverse proxy (every client is the proxy). */
  maxPerAddress: number | 'off';
  windowMs: number;
}

export const DEFAULT_CONTACT_MAX_PER_ADDRESS = 5;
export const DEFAULT_CONTACT_WINDOW_MINUTES = 10;

// A CSP source expression that can only be an origin: no spaces, quotes or semicolons can reach the header.
const ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

const frameAncestor = z
  .string()
  .trim()
  .refine((v) => v === "'self'" || ORIGIN.test(v), {
    error:
      'expected the origin of a site that may show the form in an iframe, like "https://www.example.com" or "https://*.example.com" (scheme and host, optionally a port, no path), or "\'self\'"',
  });

/** `off` (behind a reverse proxy, where every client has the proxy's address) or a number of submissions. */
const maxPerAddress = z
  .union([z.number(), z.string()])
  .optional()
  .transform((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v))
  .refine((v) => v === undefined || v === 'off' || (typeof v === 'number' && Number.isInteger(v) && v >= 1), {
    error: `expected a whole number of form submissions one address may make per contact.windowMinutes, at least 1 (default ${DEFAULT_CONTACT_MAX_PER_ADDRESS}), or off behind a reverse proxy`,
  })
  .transform((v): number | 'off' => (v === undefined ? DEFAULT_CONTACT_MAX_PER_ADDRESS : (v as number | 'off')));

const windowProblem = `expected the minutes over which contact.maxPerAddress counts, a whole number from 1 to 1440 (default ${DEFAULT_CONTACT_WINDOW_MINUTES})`;

export const contactFileSchema = z
  .object({
    /** Whether koe serves its contact form at /contact. */
    enabled: z.boolean().default(false),
    /** Origins allowed to frame `/contact?embed=1`; empty: no site may (the page itself is never framed). */
    frameAncestors: z.array(frameAncestor).default([]),
    maxPerAddress,
    windowMinutes: z
      .number()
      .int({ error: windowProblem })
      .min(1, { error: windowProblem })
      .max(24 * 60, { error: windowProblem })
      .default(DEFAULT_CONTACT_WINDOW_MINUTES),
  })
  .strict()
  .default({
    enabled: false,
    frameAncestors: [],
    maxPerAddress: DEFAULT_CONTACT_MAX_PER_ADDRESS,
    windowMinutes: DEFAULT_CONTACT_WINDOW_MINUTES,
  });

export type ContactFileConfig = z.infer<typeof contactFileSchema>;

/**
 * The settings as the server takes them, and a notice when they cannot do what they say: behind a
 * reverse proxy (KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS is off) every submitter has the proxy's
 * address, so a per-address limit would hold for all customers together.
 */
export function contactSettingsOf(
  file: ContactFileConfig,
  perAddressConnections: number | 'off',
  notices: string[],
): ContactSettings {
  if (file.enabled && perAddressConnections === 'off' && file.maxPerAddress !== 'off') {
    notices.push(
      `contact.maxPerAddress: KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS is off (behind a reverse proxy?), where every form submitter has the proxy's address, so ${file.maxPerAddress} submissions per ${file.windowMinutes} minutes hold for all customers together; set contact.maxPerAddress: off if that is not what you want`,
    );
  }
  return {
    enabled: file.enabled,
    frameAncestors: file.frameAncestors,
    maxPerAddress: file.maxPerAddress,
    windowMs: file.windowMinutes * 60_000,
  };
}

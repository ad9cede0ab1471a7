import { z } from 'zod';

/**
 * The `email:` block of koe.config.yaml: one support mailbox read over IMAP (each new mail an
 * inquiry or a follow-up) and answered over SMTP. Passwords are secrets and come from the
 * environment (KOE_IMAP_PASSWORD, KOE_SMTP_PASSWORD), never from this file.
 */

const hostSchema = z.string().trim().min(1).max(253);
const portSchema = z.number().int().min(1).max(65535);

const imapSchema = z
  .object({
    host: hostSchema,
    /** 993 with `secure: true` (TLS from the start); 143 with `secure: false` (STARTTLS when offered). */
    port: portSchema.default(993),
    secure: z.boolean().default(true),
    user: z.string().min(1).max(320),
    mailbox: z.string().min(1).max(500).default('INBOX'),
  })
  .strict();

const smtpSchema = z
  .object({
    host: hostSchema,
    /** 465 with `secure: true`; 587 with `secure: false` (STARTTLS). */
    port: portSchema.default(465),
    secure: z.boolean().default(true),
    /** Omitted: the IMAP user. */
    user: z.string().min(1).max(320).optional(),
  })
  .strict();

/** Said once, so the file's words and the check's words agree. */
export const EMAIL_TAKEN_HELP = 'seen (flag \\Seen) or { moveTo: "<folder>" }';

export const emailFileSchema = z
  .object({
    imap: imapSchema,
    smtp: smtpSchema.optional(),
    /** The From of koe's mail, e.g. `"Acme サポート" <support@acme.jp>`. Required with `smtp`. */
    from: z.string().trim().min(3).max(500).optional(),
    /** How often the mailbox is checked besides IDLE (and the only way on a server without IDLE). */
    pollSeconds: z.number().int().min(5).max(3600).default(60),
    /** Mail from these domains is staff answering from their own client: recorded as outbound, never an inquiry. */
    staffDomains: z.array(z.string().trim().min(1).max(253)).default([]),
    /** What koe does to a mail it has taken in: flag it \Seen, or move it to a folder. */
    taken: z
      .union([z.literal('seen'), z.object({ moveTo: z.string().min(1).max(500) }).strict()], {
        error: `expected ${EMAIL_TAKEN_HELP}`,
      })
      .default('seen'),
    /**
     * Where sent mail is kept. `folder`: where koe looks for a reply it may have sent before a crash
     * (by its Message-ID), so it never sends twice; Gmail files mail sent through its SMTP there by
     * itself. `save: true`: koe appends a copy there after the server accepted it (servers that do not).
     */
    sent: z
      .object({ folder: z.string().min(1).max(500), save: z.boolean().default(false) })
      .strict()
      .optional(),
    /** Appended to every reply, per locale (a string: the same for both). */
    signature: z
      .union([
        z.string().max(2000),
        z.object({ ja: z.string().max(2000).optional(), en: z.string().max(2000).optional() }).strict(),
      ])
      .optional(),
    /** Send the customer a short acknowledgement with the inquiry number when a new inquiry arrives. */
    acknowledge: z.boolean().default(false),
    /** The domain of the Message-IDs koe mints; mail carrying one is koe's own and never an inquiry. Default: koe.<From's domain>. */
    messageIdDomain: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]+$/, 'expected a domain name such as koe.acme.jp')
      .optional(),
  })
  .strict();

export type EmailFileConfig = z.infer<typeof emailFileSchema>;

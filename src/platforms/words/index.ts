import type { Failure, FailureCode } from '../../core/errors.ts';
import type { InquiryStatus, MessageDirection } from '../../core/inquiries/types.ts';
import type { Locale } from '../../core/reasons/taxonomy.ts';
import type { SlaLevel, SlaTarget } from '../../core/sla/crossings.ts';
import type { RunningState } from '../../core/sla/shown-due.ts';
import { en } from './en.ts';
import { ja } from './ja.ts';

/**
 * Every sentence koe says in chat (Slack, Discord, the console), once per locale: `ja.ts` and
 * `en.ts` are each one `Words`, so a sentence missing in one locale is a type error. Digests keep
 * their own words in `../digest-words.ts`. Nothing here knows a platform's mention syntax: callers
 * pass users already formatted (`<@U123>` on Slack, `<@1122…>` on Discord) and the command prefix
 * they use. Inline code is written with backticks, and bold with Slack's `*…*` (Discord's renderer
 * converts it), which both platforms render.
 */

export interface ReplyContext {
  locale: Locale;
  /** How the command is typed, e.g. `/koe`. */
  command: string;
}

/** How a platform shows a user; passed in so the words hold no mention syntax. */
export type FormattedUser = string;

/** Subcommands of `/koe`. */
export type Subcommand =
  | 'help'
  | 'claim'
  | 'unclaim'
  | 'assign'
  | 'resolve'
  | 'reopen'
  | 'reason'
  | 'note'
  | 'reply'
  | 'mine'
  | 'open'
  | 'show'
  | 'stats';

export type StatsPeriod = 'today' | '7d' | '30d';

export type SuccessKey =
  | 'claimed'
  | 'unclaimed'
  | 'assigned'
  | 'alreadyAssigned'
  | 'resolved'
  | 'reopened'
  | 'reasonSet'
  | 'reasonUnchanged'
  | 'noteAdded';

export interface SuccessParams {
  id: number;
  user?: FormattedUser;
  reason?: string;
}

export type FailureWords = (c: ReplyContext, f: Failure, who: { holder?: FormattedUser }) => string;

/** The sentences of one locale. */
export interface Words {
  /** An inquiry's status, the same in mirrors, `/koe show` and the console. */
  status: Record<InquiryStatus, string>;
  /** Which way a thread message went: from the customer, a reply, an internal note. */
  direction: Record<MessageDirection, string>;
  /** A label and its value on one line: `お客様：山田` / `Customer: Yamada` (the colon differs by language). */
  field(label: string, value: string): string;
  /** A note in brackets after a text: `返信（山田）` / `Reply (Yamada)` (the brackets differ by language). */
  aside(text: string, note: string): string;
  /** Labels of an inquiry's parts in mirrors, `/koe show` and the console. */
  labels: {
    customer: string;
    assignee: string;
    subject: string;
    reason: string;
    status: string;
    received: string;
    source: string;
    /** The number of messages in an inquiry's thread. */
    messages: string;
    reactions: string;
    /** A customer koe knows nothing about. */
    unknownCustomer: string;
    /** No one holds the inquiry. */
    unassigned: string;
    /** A title for an inquiry with neither subject nor text. */
    noSubject: string;
    /** After the reason label when a rule or the classifier chose it; `pct` is its confidence. */
    autoReason(pct: number | null): string;
  };
  /** The buttons and reason menu of a mirror. */
  controls: {
    claim: string;
    unclaim: string;
    resolve: string;
    reopen: string;
    showFull: string;
    chooseReason: string;
    /** In place of the reason while there is none. */
    unclassifiedHint: string;
  };
  /** A core verb's refusal, as a sentence that says what to do next. */
  failures: Record<FailureCode, FailureWords>;
  /** Refusals only an adapter makes (see `AdapterRefusal` in replies.ts). */
  refusals: {
    /** Someone who is not staff; `role` is the staff role as the platform shows it, if one is configured. */
    notStaff(role: FormattedUser | null): string;
    /** Whether someone is staff cannot be told just now (the platform did not answer); nothing was done. */
    staffUnknown: string;
    /** A control or select on a message that is not a koe inquiry. */
    notAMirror: string;
    /** koe was asked to record one of its own posts. */
    ownPost(c: ReplyContext): string;
    /** A control koe does not know (another version's, or a malformed one). */
    unknownControl(c: ReplyContext): string;
  };
  /** A done action, confirmed. */
  success: Record<SuccessKey, (p: SuccessParams) => string>;
  /** `/koe help`: its title and a line per subcommand. */
  help: { title: string; subcommands: Record<Subcommand, string> };
  /** A command typed wrong; `form` is the right form, already in backticks. */
  usage: {
    unknown(c: ReplyContext, given: string): string;
    missingId(c: ReplyContext, form: string, subcommand: Subcommand): string;
    badId(given: string): string;
    missingArgument(form: string): string;
  };
  /** `/koe open` and `/koe mine`. */
  lists: {
    openTitle(n: number): string;
    mineTitle(n: number): string;
    openEmpty: string;
    mineEmpty: string;
    more(n: number): string;
  };
  /** A duration in whole minutes as a short phrase: `3分`, `2時間`, `4日` / `3 min`, `2 h`, `4 d`. */
  age(minutes: number): string;
  /** `/koe stats`. */
  stats: {
    periods: Record<StatsPeriod, string>;
    title(period: string): string;
    totals(received: number, resolved: number, median: string): string;
    now(open: number, claimed: number): string;
    byReason: string;
    /** One reason's count under `byReason`. */
    reasonLine(label: string, count: number): string;
  };
  /** One-liners. */
  misc: {
    recorded(id: number): string;
    recordedAlready(id: number): string;
    joined(id: number): string;
    recordFailed: string;
    /** The text of a message that has none (an image-only post). */
    emptyMessage: string;
    reactionRefused(why: string): string;
    internalError: string;
    pageOf(n: number, total: number): string;
  };
  /** At the end of `/koe help`: where the inquiry number may be left out on each platform. */
  threadHints: { slack: string; discord: string };
  /** What only Slack's renderer says. */
  slack: {
    /** The link to the customer-facing original. */
    original: string;
    mirrorMessages(n: number): string;
    truncated(shown: number, total: number, id: number): string;
    threadCut(total: number, id: number): string;
    /** The title of `/koe show`'s page of messages. */
    conversation: string;
    /** The title of a page of the body in `/koe show`. */
    body: string;
    morePages(sent: number, total: number, id: number): string;
    /** Why Slack would not take a reply in the customer's channel, as the failed line and the author's notice say it. */
    replyErrors: {
      /** not_in_channel, missing_scope, restricted_action…: koe may not post there. */
      noAccess: string;
      /** channel_not_found: the channel is gone or koe cannot see it. */
      gone: string;
      archived: string;
      /** thread_not_found, message_not_found: the customer's first message was deleted. */
      threadGone: string;
      tooLong: string;
      /** invalid_auth, token_revoked…: koe's token no longer works. */
      token: string;
      /** Any other refusal, with Slack's error code. */
      rejected(code: string): string;
    };
    /** The heading of a failed reply's private notice, and the link to the inquiry's thread. */
    replyFailedTitle: string;
  };
  /** What only Discord's renderer and command registration say. */
  discord: {
    /** The link to the customer-facing original. */
    link: string;
    latestMessages(n: number): string;
    /** Descriptions of the application commands (en is the default; ja its localization). */
    commands: {
      koe: string;
      subcommands: Record<Subcommand, string>;
      id: string;
      idInThread: string;
      user: string;
      note: string;
      reason: string;
      text: string;
      period: string;
      record: string;
      /** `/koe reply`'s text option. */
      replyText: string;
    };
    /** Replies to customers as only Discord says them. */
    replies: {
      /** "Send to customer" used on something that is not a note in an inquiry's thread. */
      notANote: string;
      /** The reply would not fit Discord's 2000 characters once its markup is escaped. */
      tooLong(p: { length: number; max: number }): string;
      /** Why Discord would not take a reply, as the failed line and the author's notice say it. */
      errors: {
        noAccess: string;
        gone: string;
        locked: string;
        rejected(detail: string): string;
      };
    };
  };
  /** Replies koe sends to the customer, as every surface shows them. */
  replies: {
    /** A reply's line in a mirror's thread, by its state; `at` is a local time, `by` its author. */
    state: {
      queued(p: { by: string; at: string }): string;
      sent(p: { by: string; at: string }): string;
      failed(p: { by: string; error: string }): string;
      undone(p: { by: string }): string;
    };
    undo: string;
    retry: string;
    /** The mirror's button that opens the reply form, and the form's title. */
    replyToCustomer: string;
    /** The message action / shortcut that sends a note's text to the customer. */
    sendToCustomer: string;
    /** A form Slack or Discord did not open (the click's trigger expired); `button` is what to press again. */
    formFailed(button: string): string;
    /** The form's field label and its submit button. */
    fieldLabel: string;
    submit: string;
    cancel: string;
    /** The close button of a modal that only says something. */
    close: string;
    /** Shown in the form and the confirmation: who receives it and where. */
    goesTo(where: string): string;
    /** Where a reply goes, by the inquiry's channel; `customer` is the customer's name, `channel` as the platform shows it. */
    where: {
      slack(p: { customer: string; channel: string }): string;
      discord(p: { customer: string; channel: string }): string;
      webhook(p: { customer: string; source: string }): string;
      other(p: { customer: string; source: string }): string;
      /** A mail inquiry, answered by mail. */
      email(p: { customer: string }): string;
    };
    /** `/koe reply` answered: queued, where, and until when it can be undone. */
    queued(p: { id: number; where: string; at: string; undoSeconds: number }): string;
    undone(id: number): string;
    retried(id: number): string;
    /** The reply form was sent with nothing (or only spaces) in it. */
    blank: string;
    /** Above the note's text in "Send to customer"'s confirmation. */
    confirmLead: string;
    /** "Send to customer" on a message that is not in an inquiry's thread in a team channel. */
    notInMirrorThread: string;
    /** "Send to customer" on one of koe's own posts (the mirror, a customer's message, a reply's line). */
    koesOwnPost: string;
    /** "Send to customer" on a message the customer (or anyone not on the team) wrote. */
    customersMessage: string;
    /** "Send to customer" on a note longer than a reply may be. */
    noteTooLong(max: number): string;
    /** `@koe reply <n> …` in another inquiry's thread: it would answer the wrong customer, so it is refused. */
    otherInquiryInThread(p: { thread: number; given: number }): string;
    /** The private notice to the author of a reply that failed. */
    failedNotice(p: { id: number; error: string }): string;
  };
  /** What only the console's renderer says. */
  console: {
    newInquiry: string;
    updated: string;
  };
  /** Promises in business time: the due line of mirrors, `/koe show` and `/koe open`, and koe's warnings. */
  sla: {
    /** The due line's label where a platform shows fields (Discord). */
    label: string;
    /** A target's due time, given formatted: 「初回返信期限 12/4（金）12:00」. */
    due: Record<SlaTarget, (at: string) => string>;
    /** Where a running target stands. */
    state: Record<RunningState, string>;
    /** koe's note in a mirror's thread; `owner` is the assignee as shown, null when unclaimed. */
    warning(p: { target: SlaTarget; level: SlaLevel; due: string; owner: string | null }): string;
    /** The one line in `sla.alertChannel`; `gist` is the subject or the body's start. */
    alert(p: {
      id: number;
      target: SlaTarget;
      level: SlaLevel;
      due: string;
      owner: string | null;
      gist: string;
    }): string;
  };
  /** What koe writes in mail to a customer (email as a customer channel). */
  mail: {
    /** The subject of koe's mail when the customer's had none. */
    noSubject: string;
    /** The acknowledgement's subject and text (`email.acknowledge`). */
    acknowledgementSubject(p: { id: number; subject: string }): string;
    /** `due`: when the team promises a first answer (the SLA's first-response target), as a date and time; null without one. */
    acknowledgementBody(p: { id: number; customer: string; due: string | null }): string;
  };
}

const WORDS: Record<Locale, Words> = { ja, en };

/** The sentences of `locale`. */
export function wordsFor(locale: Locale): Words {
  return WORDS[locale];
}

import { CONTACT_FORM_SOURCE } from '../../core/surfaces.ts';
import { cmd, codes, ref } from './format.ts';
import type { ReplyContext, Words } from './index.ts';

const notAMirror = 'That message is not a koe inquiry.';
/** `#12`, or `That inquiry` when the number is not known (at the start of a sentence). */
const it = (id: number | undefined) => (id === undefined ? 'That inquiry' : `#${id}`);
/** A customer by name, or `the customer` when koe knows none. */
const customer = (name: string) => (name === '(unknown)' || name.trim() === '' ? 'the customer' : name);
const invalidInput = (c: ReplyContext, message = 'That input is not valid.') => `${message} See \`${c.command} help\`.`;

export const en: Words = {
  status: { open: 'Open', claimed: 'Claimed', resolved: 'Resolved' },
  direction: { inbound: 'From the customer', outbound: 'Reply', note: 'Internal note' },
  field: (label, value) => `${label}: ${value}`,
  aside: (text, note) => `${text} (${note})`,
  labels: {
    customer: 'Customer',
    assignee: 'Assignee',
    subject: 'Subject',
    reason: 'Reason',
    status: 'Status',
    received: 'Received',
    source: 'Source',
    messages: 'Messages',
    reactions: 'Reactions',
    unknownCustomer: '(unknown)',
    unassigned: 'Unassigned',
    noSubject: '(no subject)',
    autoReason: (pct) => ` (auto${pct === null ? '' : `, ${pct}%`})`,
  },
  controls: {
    claim: 'Claim',
    unclaim: 'Unclaim',
    resolve: 'Resolve',
    reopen: 'Reopen',
    showFull: 'Show full text',
    chooseReason: 'Choose the contact reason',
    unclassifiedHint: 'Unclassified: pick a reason below.',
  },
  failures: {
    NOT_FOUND: (c, f) =>
      `There is no inquiry${f.inquiryId === undefined ? ' by that number' : ` ${ref(f.inquiryId)}`}. \`${c.command} open\` lists the open ones.`,
    ALREADY_CLAIMED: (c, f, w) =>
      `${it(f.inquiryId)} is already claimed by ${w.holder ?? 'someone else'} — ask them or use ${cmd(c, 'assign', f.inquiryId ?? '<id>', '@you')}.`,
    ALREADY_YOURS: (_c, f) => `${it(f.inquiryId)} is already yours.`,
    NOT_CLAIMED: (c, f) =>
      `Nobody has claimed ${f.inquiryId === undefined ? 'that inquiry' : ref(f.inquiryId)}. ${cmd(c, 'claim', f.inquiryId)} takes it.`,
    ALREADY_RESOLVED: (c, f) =>
      `${it(f.inquiryId)} is already resolved. If it still needs work, ${cmd(c, 'reopen', f.inquiryId)} brings it back.`,
    NOT_RESOLVED: (c, f) =>
      `${it(f.inquiryId)} is not resolved, so there is nothing to reopen. ${cmd(c, 'resolve', f.inquiryId)} resolves it.`,
    UNKNOWN_REASON: (_c, f) =>
      `There is no reason ${f.reason ? `"${f.reason}"` : 'by that id'}. Valid reasons: ${codes(f.validReasons)}`,
    NOT_A_MIRROR: () => notAMirror,
    INVALID_INPUT: (c, f) => invalidInput(c, f.message),
    NO_WAY_BACK: (_c, f) =>
      f.source === CONTACT_FORM_SOURCE
        ? `koe cannot send a reply to ${ref(f.inquiryId)} yet: it came in through the contact form, and replies by email are not built yet (a koe.config.yaml \`replies.webhooks\` entry for source \`form\` would carry them). Write to the customer at the email address they gave, shown in the mirror and in its thread.`
        : `koe cannot send a reply to ${ref(f.inquiryId)}: it came from ${f.source ?? 'a channel'}, which has no way back (only source channels in koe.config.yaml \`sources\`, and API sources with a \`replies.webhooks\` entry, do). Answer the customer ${f.url ? `where they wrote: ${f.url}` : 'where they wrote'}.`,
    TOO_LATE_TO_UNDO: (_c, f) =>
      `The reply to ${ref(f.inquiryId)} can no longer be undone: it has already left, or was undone already.`,
    NOT_FAILED: (_c, f) => `That reply to ${ref(f.inquiryId)} has not failed, so there is nothing to retry.`,
  },
  refusals: {
    notStaff: (role) =>
      role
        ? `Only members of the team can do that in koe (it needs the ${role} role).`
        : 'Only members of the team can do that in koe.',
    staffUnknown:
      'koe could not confirm just now that you are a member of the team, so it did nothing. Try again in a moment.',
    notAMirror,
    ownPost: (c) => invalidInput(c, 'koe cannot record its own posts.'),
    unknownControl: (c) => invalidInput(c),
  },
  success: {
    claimed: (p) => `You claimed #${p.id}.`,
    unclaimed: (p) => `#${p.id} is back in the pool; anyone can claim it.`,
    assigned: (p) => `#${p.id} is now assigned to ${p.user ?? 'someone else'}.`,
    alreadyAssigned: (p) => `#${p.id} is already assigned to ${p.user ?? 'someone else'}.`,
    resolved: (p) => `#${p.id} is resolved.`,
    reopened: (p) => `#${p.id} is open again.`,
    reasonSet: (p) => `#${p.id}'s reason is now "${p.reason ?? ''}".`,
    reasonUnchanged: (p) => `#${p.id}'s reason is already "${p.reason ?? ''}".`,
    noteAdded: (p) => `Internal note added to #${p.id}.`,
  },
  help: {
    title: '*How to use koe*',
    subcommands: {
      help: 'show this help',
      claim: 'claim an inquiry',
      unclaim: 'give it back to the pool',
      assign: 'hand it to someone',
      resolve: 'mark resolved, optionally with a note',
      reopen: 'reopen a resolved inquiry',
      reason: 'set the contact reason',
      note: 'add an internal note',
      reply: 'send a reply to the customer, where they wrote',
      mine: 'inquiries you hold',
      open: 'open inquiries, oldest first',
      show: 'details and the full text',
      stats: 'counts for a period',
    },
  },
  usage: {
    unknown: (c, given) => `There is no "${given}" command. \`${c.command} help\` lists them.`,
    missingId: (c, form, subcommand) => `Which inquiry? ${form} (e.g. \`${c.command} ${subcommand} 12\`)`,
    badId: (given) => `"${given}" is not an inquiry number; write it as \`12\` or \`#12\`.`,
    missingArgument: (form) => `Something is missing: ${form}`,
  },
  lists: {
    openTitle: (n) => `*Open inquiries (${n}, oldest first)*`,
    mineTitle: (n) => `*Inquiries you hold (${n})*`,
    openEmpty: 'No open inquiries: nothing is waiting to be claimed.',
    mineEmpty: 'You hold no inquiries.',
    more: (n) => `…and ${n} more`,
  },
  age: (minutes) => {
    const m = Math.max(0, Math.round(minutes));
    if (m < 60) return `${m} min`;
    if (m < 48 * 60) return `${Math.floor(m / 60)} h`;
    return `${Math.floor(m / (24 * 60))} d`;
  },
  stats: {
    periods: { today: 'Today', '7d': 'Last 7 days', '30d': 'Last 30 days' },
    title: (period) => `*${period}*`,
    totals: (received, resolved, median) =>
      `Received ${received} · resolved ${resolved} · median first response ${median}`,
    now: (open, claimed) => `Now: ${open} open · ${claimed} claimed`,
    byReason: 'By reason:',
    reasonLine: (label, count) => `• ${label}: ${count}`,
  },
  misc: {
    recorded: (id) => `Recorded as inquiry #${id}.`,
    recordedAlready: (id) => `That message is already inquiry #${id}.`,
    joined: (id) => `Added to the same customer's recent inquiry #${id}.`,
    recordFailed: 'Could not record that message; please try again in a moment.',
    emptyMessage: '(no text)',
    reactionRefused: (why) => `Your reaction did not go through: ${why}`,
    internalError: 'Something went wrong in koe; please try again in a moment.',
    pageOf: (n, total) => `(${n}/${total})`,
  },
  threadHints: {
    slack: "Inside an inquiry's thread, mention koe (`@koe claim`) and the number may be left out.",
    discord:
      'Inside an inquiry’s thread the number may be left out. The mirror’s buttons and reactions (🙋 claim / ✅ resolve) work too.',
  },
  slack: {
    original: 'original',
    mirrorMessages: (n) => `💬 ${n}`,
    truncated: (shown, total, id) =>
      `Showing the first ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} characters. Full text: "Show full text" or \`/koe show ${id}\``,
    threadCut: (total, id) => `(cut; ${total.toLocaleString('en-US')} characters in all: \`/koe show ${id}\`)`,
    conversation: 'Messages',
    body: 'Body',
    morePages: (sent, total, id) =>
      `Showed ${sent} of ${total} pages; the rest is in the API (GET /api/v1/inquiries/${id}).`,
    replyErrors: {
      noAccess: 'koe may not post in the customer’s channel (invite koe to it, or check its permissions)',
      gone: 'the customer’s channel no longer exists, or koe cannot see it',
      archived: 'the customer’s channel is archived',
      threadGone: 'the customer’s message was deleted, so there is no thread to answer in',
      tooLong: 'Slack refused the reply as too long',
      token: 'koe’s Slack token no longer works (reinstall the app)',
      rejected: (code) => `Slack refused the message (${code})`,
    },
    replyFailedTitle: 'A reply did not reach the customer',
  },
  discord: {
    link: 'link',
    latestMessages: (n) => `Latest messages (${n} in all)`,
    commands: {
      koe: 'Customer inquiries: claim, resolve, list, stats',
      subcommands: {
        help: 'How to use koe',
        claim: 'Claim an inquiry',
        unclaim: 'Give an inquiry back to the pool',
        assign: 'Hand an inquiry to someone',
        resolve: 'Mark an inquiry resolved',
        reopen: 'Reopen a resolved inquiry',
        reason: 'Set the contact reason',
        note: 'Add an internal note',
        reply: 'Send a reply to the customer, where they wrote',
        mine: 'Inquiries you hold',
        open: 'Open inquiries, oldest first',
        show: 'Details and the full text',
        stats: 'Counts for a period',
      },
      id: 'Inquiry number',
      idInThread: 'Inquiry number (may be left out in its thread)',
      user: 'Who takes it',
      note: 'Internal note for the thread',
      reason: 'Reason id',
      text: 'The note',
      period: 'Period (default: today)',
      record: 'Record as customer inquiry',
      replyText: 'The reply (the customer sees exactly this)',
    },
    replies: {
      notANote:
        'Send to customer works on a note in an inquiry’s thread (a message written there, or koe’s “Internal note”). Use it there, or `/koe reply`.',
      tooLong: (p) =>
        `That reply is too long for Discord: ${p.length} characters with its name line and escaped markup, of ${p.max}. Shorten it and send it again.`,
      errors: {
        noAccess: 'koe may not write in the customer’s channel (missing access or permission)',
        gone: 'the customer’s channel or thread no longer exists',
        locked: 'the customer’s thread is locked',
        rejected: (detail) => `Discord refused the message (${detail})`,
      },
    },
  },
  replies: {
    state: {
      queued: (p) => `↩︎ Reply to the customer by ${p.by}: leaves at ${p.at} unless undone`,
      sent: (p) => `↩︎ Sent to the customer by ${p.by} at ${p.at}`,
      failed: (p) => `⚠️ Reply by ${p.by} could not be sent: ${p.error}`,
      undone: (p) => `↩︎ Reply by ${p.by} undone; it was not sent`,
    },
    undo: 'Undo',
    retry: 'Retry',
    replyToCustomer: 'Reply to customer',
    sendToCustomer: 'Send to customer',
    formFailed: (button) => `The form could not be opened (Slack did not answer in time). Press “${button}” again.`,
    fieldLabel: 'Your reply (the customer sees exactly this)',
    submit: 'Send',
    cancel: 'Cancel',
    close: 'Close',
    goesTo: (where) => `Goes to ${where}.`,
    where: {
      slack: (p) => `${customer(p.customer)}, in their thread in ${p.channel}`,
      discord: (p) => `${customer(p.customer)}, as a reply in ${p.channel}`,
      webhook: (p) => `${customer(p.customer)}, through the "${p.source}" webhook`,
      other: (p) => `${customer(p.customer)} (${p.source})`,
      email: (p) => `${customer(p.customer)}, by email`,
    },
    queued: (p) =>
      p.undoSeconds > 0
        ? `Reply to #${p.id} queued for ${p.where}. It leaves at ${p.at}; Undo in the inquiry's thread stops it until then.`
        : `Reply to #${p.id} is on its way to ${p.where}.`,
    undone: (id) => `The reply to #${id} was undone; the customer will not get it.`,
    retried: (id) => `The reply to #${id} is being sent again.`,
    blank: 'The reply is empty. Write what the customer should receive.',
    confirmLead: 'The customer will receive exactly this:',
    notInMirrorThread:
      "Send to customer works on a note in an inquiry's thread in the team channel, and this message is not in one. Nothing was sent.",
    koesOwnPost:
      "That is one of koe's own posts (the inquiry, a customer's message or a reply), not a note. Send to customer sends a note someone on the team wrote in the inquiry's thread. Nothing was sent.",
    customersMessage:
      "That message was not written by the team, so koe will not send it to the customer. Send to customer sends a note someone on the team wrote in the inquiry's thread. Nothing was sent.",
    noteTooLong: (max) =>
      `That note is longer than a reply can be (${max.toLocaleString('en')} characters). Nothing was sent; use Reply to customer on the inquiry with a shorter text.`,
    otherInquiryInThread: (p) =>
      `This is the thread of #${p.thread}, and that would answer the customer of #${p.given}. Nothing was sent. To answer #${p.thread}, write \`@koe reply <text>\`; to answer #${p.given}, use its own thread.`,
    failedNotice: (p) =>
      `Your reply to #${p.id} could not be sent: ${p.error}. Retry is on its line in the inquiry's thread.`,
  },
  console: {
    newInquiry: 'new inquiry',
    updated: 'updated',
  },
  sla: {
    label: 'Due',
    due: { first_response: (at) => `First response due ${at}`, resolution: (at) => `Resolve by ${at}` },
    state: { on_track: 'on track', due_soon: 'due soon', breached: 'past due' },
    warning: (p) => {
      const head =
        p.target === 'first_response'
          ? p.level === 'due_soon'
            ? `⏰ The first response is due soon (by ${p.due}).`
            : `🚨 The first response is past due (it was due ${p.due}).`
          : p.level === 'due_soon'
            ? `⏰ This inquiry should be resolved soon (by ${p.due}).`
            : `🚨 This inquiry is past its resolution due time (${p.due}).`;
      return `${head} ${p.owner ? `${p.owner}, please take care of it.` : 'Nobody has claimed it yet: could someone take it?'}`;
    },
    alert: (p) => {
      const what = p.target === 'first_response' ? 'first response' : 'resolution';
      const head = p.level === 'due_soon' ? `⏰ #${p.id} ${what} due soon` : `🚨 #${p.id} ${what} past due`;
      return `${head} (due ${p.due}) · ${p.owner ? `held by ${p.owner}` : 'unclaimed'} · ${p.gist}`;
    },
  },
  mail: {
    noSubject: 'Your inquiry',
    acknowledgementSubject: (p) => `We received your inquiry: ${p.subject} [#${p.id}]`,
    acknowledgementBody: (p) =>
      `Dear ${p.customer},\n\nThank you for contacting us. We have received your inquiry under the number below, and a member of our team will get back to you soon.\n\nInquiry number: ${p.id}\n${p.due ? `We will answer by ${p.due}.\n` : ''}\nReplying to this mail adds to the same inquiry.\n(This is an automatic message.)`,
  },
};

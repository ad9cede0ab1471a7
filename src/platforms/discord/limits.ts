import type { APIEmbed } from 'discord.js';

/**
 * Discord's hard limits on what a message may carry (an over-limit payload fails with 50035
 * Invalid Form Body, which dead-letters a delivery). Lengths are UTF-16 code units (`.length`),
 * never fewer than the characters Discord counts, so staying under them is always safe.
 */
export const DISCORD_LIMITS = {
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Across every embed of one message. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  content: 2000,
  customId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  actionRows: 5,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectPlaceholder: 150,
  threadName: 100,
  nonce: 25,
  autocompleteChoices: 25,
  choiceName: 100,
  /** Modals (interaction response type 9): title, and a text input's label, placeholder and value. */
  modalTitle: 45,
  textInputLabel: 45,
  textInputPlaceholder: 100,
  textInputValue: 4000,
  /** A message (context-menu) command's name. */
  commandName: 32,
} as const;

/** Cuts `text` to at most `max` code units, ending with "…" when cut, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1; // a high surrogate whose pair would be cut off
  return `${text.slice(0, cut)}…`;
}

/** The characters Discord counts toward the 6000 limit: title, description, field names and values, footer, author. */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  n += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) n += field.name.length + field.value.length;
  return n;
}

/** Every way `embeds` break Discord's limits; empty when they are fine. */
export function embedViolations(embeds: readonly APIEmbed[]): string[] {
  const problems: string[] = [];
  const L = DISCORD_LIMITS;
  if (embeds.length > L.embedsPerMessage) problems.push(`${embeds.length} embeds > ${L.embedsPerMessage}`);
  let total = 0;
  embeds.forEach((e, i) => {
    total += embedLength(e);
    if ((e.title?.length ?? 0) > L.embedTitle) problems.push(`embed ${i} title ${e.title?.length} > ${L.embedTitle}`);
    if ((e.description?.length ?? 0) > L.embedDescription) {
      problems.push(`embed ${i} description ${e.description?.length} > ${L.embedDescription}`);
    }
    if ((e.footer?.text.length ?? 0) > L.footerText) problems.push(`embed ${i} footer > ${L.footerText}`);
    if ((e.author?.name.length ?? 0) > L.authorName) problems.push(`embed ${i} author > ${L.authorName}`);
    const fields = e.fields ?? [];
    if (fields.length > L.embedFields) problems.push(`embed ${i} has ${fields.length} fields > ${L.embedFields}`);
    fields.forEach((f, j) => {
      if (f.name.length === 0 || f.name.length > L.fieldName)
        problems.push(`embed ${i} field ${j} name length ${f.name.length}`);
      if (f.value.length === 0 || f.value.length > L.fieldValue)
        problems.push(`embed ${i} field ${j} value length ${f.value.length}`);
    });
  });
  if (total > L.embedsTotal) problems.push(`embeds total ${total} > ${L.embedsTotal}`);
  return problems;
}

/**
 * What Discord checks in a message body before accepting it, so the fake answers 50035 Invalid Form
 * Body exactly where Discord would (limits from the developer docs: embeds, components, nonce).
 */

type Json = Record<string, any>;

const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  optionText: 100,
  placeholder: 150,
  nonce: 25,
};

function len(v: unknown): number {
  return typeof v === 'string' ? v.length : 0;
}

/** Problems with a message create/edit body; empty when Discord would accept it. */
export function messageBodyProblems(body: Json, options: { create: boolean }): string[] {
  const p: string[] = [];
  if (len(body.content) > LIMITS.content) p.push(`content: must be 2000 or fewer in length (${len(body.content)})`);
  if (body.nonce !== undefined) {
    if (typeof body.nonce === 'string' && body.nonce.length > LIMITS.nonce)
      p.push('nonce: must be 25 or fewer in length');
    if (typeof body.nonce !== 'string' && typeof body.nonce !== 'number') p.push('nonce: must be a string or integer');
  }
  const embeds: Json[] = body.embeds ?? [];
  if (embeds.length > LIMITS.embeds) p.push('embeds: must be 10 or fewer in length');
  let total = 0;
  embeds.forEach((e, i) => {
    const at = `embeds.${i}`;
    if (len(e.title) > LIMITS.title) p.push(`${at}.title: must be 256 or fewer in length`);
    if (len(e.description) > LIMITS.description) p.push(`${at}.description: must be 4096 or fewer in length`);
    if (e.footer && len(e.footer.text) > LIMITS.footer) p.push(`${at}.footer.text: must be 2048 or fewer in length`);
    if (e.footer && len(e.footer.text) === 0) p.push(`${at}.footer.text: required`);
    if (e.author && len(e.author.name) > LIMITS.author) p.push(`${at}.author.name: must be 256 or fewer in length`);
    if (e.url !== undefined && !/^https?:\/\//.test(String(e.url))) p.push(`${at}.url: not a well formed URL`);
    const fields: Json[] = e.fields ?? [];
    if (fields.length > LIMITS.fields) p.push(`${at}.fields: must be 25 or fewer in length`);
    fields.forEach((f, j) => {
      if (len(f.name) === 0 || len(f.name) > LIMITS.fieldName) p.push(`${at}.fields.${j}.name: 1 to 256 in length`);
      if (len(f.value) === 0 || len(f.value) > LIMITS.fieldValue)
        p.push(`${at}.fields.${j}.value: 1 to 1024 in length`);
      total += len(f.name) + len(f.value);
    });
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
  });
  if (total > LIMITS.total) p.push(`embeds: total length ${total} exceeds 6000`);

  const rows: Json[] = body.components ?? [];
  if (rows.length > LIMITS.rows) p.push('components: must be 5 or fewer in length');
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    if (row.type !== 1) p.push(`components.${i}.type: top-level components must be action rows`);
    const children: Json[] = row.components ?? [];
    const selects = children.filter((c) => c.type === 3).length;
    if (selects > 0 && children.length > 1) p.push(`components.${i}: a select menu must be alone in its row`);
    if (children.length === 0 || children.length > LIMITS.buttonsPerRow)
      p.push(`components.${i}.components: 1 to 5 in length`);
    children.forEach((c, j) => {
      const at = `components.${i}.components.${j}`;
      if (c.style !== 5) {
        if (len(c.custom_id) === 0 || len(c.custom_id) > LIMITS.customId) p.push(`${at}.custom_id: 1 to 100 in length`);
        if (ids.has(c.custom_id)) p.push(`${at}.custom_id: duplicate`);
        ids.add(c.custom_id);
      }
      if (c.type === 2 && len(c.label) > LIMITS.buttonLabel) p.push(`${at}.label: must be 80 or fewer in length`);
      if (c.type === 3) {
        const opts: Json[] = c.options ?? [];
        if (opts.length === 0 || opts.length > LIMITS.selectOptions) p.push(`${at}.options: 1 to 25 in length`);
        if (len(c.placeholder) > LIMITS.placeholder) p.push(`${at}.placeholder: must be 150 or fewer in length`);
        opts.forEach((o, k) => {
          if (len(o.label) === 0 || len(o.label) > LIMITS.optionText)
            p.push(`${at}.options.${k}.label: 1 to 100 in length`);
          if (len(o.value) === 0 || len(o.value) > LIMITS.optionText)
            p.push(`${at}.options.${k}.value: 1 to 100 in length`);
        });
        if (opts.filter((o) => o.default).length > (c.max_values ?? 1)) p.push(`${at}.options: too many defaults`);
      }
    });
  });

  if (options.create && !body.content && embeds.length === 0 && rows.length === 0 && !body.sticker_ids) {
    p.push('Cannot send an empty message');
  }
  return p;
}

/** Problems with an application command definition (names, descriptions, option counts). */
export function commandProblems(cmd: Json): string[] {
  const p: string[] = [];
  const type = cmd.type ?? 1;
  if (type === 1) {
    if (!/^[-_\p{L}\p{N}]{1,32}$/u.test(cmd.name ?? '') || cmd.name !== String(cmd.name).toLowerCase())
      p.push(`name: invalid "${cmd.name}"`);
    if (len(cmd.description) < 1 || len(cmd.description) > 100) p.push(`${cmd.name}.description: 1 to 100 in length`);
  } else if (len(cmd.name) < 1 || len(cmd.name) > 32) {
    p.push(`name: 1 to 32 in length ("${cmd.name}")`);
  }
  const walk = (options: Json[] | undefined, at: string) => {
    if (!options) return;
    if (options.length > 25) p.push(`${at}.options: must be 25 or fewer in length`);
    let optionalSeen = false;
    options.forEach((o) => {
      if (!/^[-_\p{L}\p{N}]{1,32}$/u.test(o.name ?? '') || o.name !== String(o.name).toLowerCase())
        p.push(`${at}.${o.name}: invalid name`);
      if (len(o.description) < 1 || len(o.description) > 100) p.push(`${at}.${o.name}.description: 1 to 100 in length`);
      for (const [locale, d] of Object.entries(o.description_localizations ?? {})) {
        if (len(d) < 1 || len(d) > 100)
          p.push(`${at}.${o.name}.description_localizations.${locale}: 1 to 100 in length`);
      }
      if (o.type !== 1 && o.type !== 2) {
        if (o.required && optionalSeen) p.push(`${at}.${o.name}: required options must come before optional ones`);
        if (!o.required) optionalSeen = true;
      }
      if (o.autocomplete && o.choices?.length) p.push(`${at}.${o.name}: autocomplete and choices are exclusive`);
      walk(o.options, `${at}.${o.name}`);
    });
  };
  walk(cmd.options, cmd.name);
  return p;
}

/**
 * Problems with a modal (interaction response type 9, Discord's "Interaction Response Object" and
 * "Text Input" reference): custom_id 1–100, title 1–45, 1–5 action rows of one text input each;
 * an input's custom_id 1–100, label 1–45, style 1 (short) or 2 (paragraph), min_length 0–4000,
 * max_length 1–4000, placeholder ≤ 100, value ≤ 4000 and within max_length.
 */
export function modalProblems(data: Json): string[] {
  const p: string[] = [];
  if (len(data.custom_id) < 1 || len(data.custom_id) > LIMITS.customId) p.push('custom_id: 1 to 100 in length');
  if (len(data.title) < 1 || len(data.title) > 45) p.push(`title: 1 to 45 in length (${len(data.title)})`);
  const rows: Json[] = data.components ?? [];
  if (rows.length < 1 || rows.length > 5) p.push('components: 1 to 5 in length');
  rows.forEach((row, i) => {
    const children: Json[] = row.components ?? [];
    if (row.type !== 1 || children.length !== 1) p.push(`components.${i}: one text input per action row`);
    children.forEach((c, j) => {
      const at = `components.${i}.components.${j}`;
      if (c.type !== 4) p.push(`${at}.type: only text inputs`);
      if (len(c.custom_id) < 1 || len(c.custom_id) > LIMITS.customId) p.push(`${at}.custom_id: 1 to 100 in length`);
      if (len(c.label) < 1 || len(c.label) > 45) p.push(`${at}.label: 1 to 45 in length (${len(c.label)})`);
      if (c.style !== 1 && c.style !== 2) p.push(`${at}.style: 1 or 2`);
      if (c.min_length !== undefined && (c.min_length < 0 || c.min_length > 4000))
        p.push(`${at}.min_length: 0 to 4000`);
      if (c.max_length !== undefined && (c.max_length < 1 || c.max_length > 4000))
        p.push(`${at}.max_length: 1 to 4000`);
      if (len(c.placeholder) > 100) p.push(`${at}.placeholder: must be 100 or fewer in length`);
      if (len(c.value) > Math.min(4000, c.max_length ?? 4000)) p.push(`${at}.value: longer than max_length`);
    });
  });
  return p;
}

/**
 * Block Kit's documented limits, checked the way Slack refuses a payload (`invalid_blocks`), so the
 * fake Slack can refuse what real Slack would and tests can assert every payload koe sent was valid.
 * Written from docs.slack.dev/reference/block-kit, independently of src/platforms/slack/render.ts.
 */

type Json = Record<string, any>;

const MAX = {
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  header: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  messageText: 40_000,
  /** Slack answers msg_blocks_too_long near 13k characters of blocks (bolt-js #2509). */
  blocksJson: 13_000,
};

function textObject(
  path: string,
  t: unknown,
  max: number,
  problems: string[],
  allowed: string[] = ['plain_text', 'mrkdwn'],
): void {
  if (typeof t !== 'object' || t === null) return void problems.push(`${path}: missing text object`);
  const o = t as Json;
  if (!allowed.includes(o.type)) problems.push(`${path}.type: ${o.type} not in ${allowed.join('|')}`);
  if (typeof o.text !== 'string' || o.text.length === 0) problems.push(`${path}.text: must be a non-empty string`);
  else if (o.text.length > max) problems.push(`${path}.text: ${o.text.length} > ${max}`);
  if (typeof o.text === 'string' && o.text.includes('\u0000')) problems.push(`${path}.text: contains NUL`);
  if (
    typeof o.text === 'string' &&
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(o.text)
  ) {
    problems.push(`${path}.text: lone surrogate`);
  }
}

function id(path: string, value: unknown, problems: string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX.id)
    problems.push(`${path}: must be 1…${MAX.id} characters`);
}

function element(path: string, e: Json, problems: string[]): void {
  id(`${path}.action_id`, e.action_id, problems);
  switch (e.type) {
    case 'button':
      textObject(`${path}.text`, e.text, MAX.buttonText, problems, ['plain_text']);
      if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > MAX.buttonValue))
        problems.push(`${path}.value: > ${MAX.buttonValue}`);
      if (e.url !== undefined && String(e.url).length > MAX.url) problems.push(`${path}.url: > ${MAX.url}`);
      if (e.style !== undefined && !['primary', 'danger'].includes(e.style)) problems.push(`${path}.style: ${e.style}`);
      break;
    case 'static_select': {
      if (e.placeholder) textObject(`${path}.placeholder`, e.placeholder, MAX.placeholder, problems, ['plain_text']);
      const options: Json[] = e.options ?? [];
      if (options.length === 0 || options.length > MAX.selectOptions)
        problems.push(`${path}.options: ${options.length} not in 1…${MAX.selectOptions}`);
      const values = new Set<string>();
      options.forEach((o, i) => {
        textObject(`${path}.options[${i}].text`, o.text, MAX.optionText, problems, ['plain_text']);
        if (typeof o.value !== 'string' || o.value.length === 0 || o.value.length > MAX.optionValue)
          problems.push(`${path}.options[${i}].value: bad`);
        if (values.has(o.value)) problems.push(`${path}.options[${i}].value: duplicate ${o.value}`);
        values.add(o.value);
      });
      if (e.initial_option && !options.some((o) => o.value === e.initial_option.value))
        problems.push(`${path}.initial_option: not among options`);
      break;
    }
    default:
      problems.push(`${path}.type: koe does not use ${e.type}`);
  }
}

function block(path: string, b: Json, problems: string[], inModal = false): void {
  id(`${path}.block_id`, b.block_id, problems);
  switch (b.type) {
    case 'input':
      if (!inModal) problems.push(`${path}.type: koe posts no input block in a message`);
      else inputBlock(path, b, problems);
      break;
    case 'header':
      textObject(`${path}.text`, b.text, MAX.header, problems, ['plain_text']);
      break;
    case 'section':
      if (b.text === undefined && b.fields === undefined) problems.push(`${path}: section needs text or fields`);
      if (b.text !== undefined) textObject(`${path}.text`, b.text, MAX.sectionText, problems);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length > MAX.sectionFields)
          problems.push(`${path}.fields: more than ${MAX.sectionFields}`);
        (b.fields as Json[]).forEach((f, i) => {
          textObject(`${path}.fields[${i}]`, f, MAX.fieldText, problems);
        });
      }
      break;
    case 'context':
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > MAX.contextElements) {
        problems.push(`${path}.elements: ${b.elements?.length} not in 1…${MAX.contextElements}`);
      }
      (b.elements as Json[] | undefined)?.forEach((e, i) => {
        textObject(`${path}.elements[${i}]`, e, MAX.sectionText, problems);
      });
      break;
    case 'actions': {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > MAX.actionsElements) {
        problems.push(`${path}.elements: ${b.elements?.length} not in 1…${MAX.actionsElements}`);
      }
      const actionIds = new Set<string>();
      (b.elements as Json[] | undefined)?.forEach((e, i) => {
        element(`${path}.elements[${i}]`, e, problems);
        if (e.action_id && actionIds.has(e.action_id)) problems.push(`${path}.elements[${i}].action_id: duplicate`);
        actionIds.add(e.action_id);
      });
      break;
    }
    case 'divider':
      break;
    default:
      problems.push(`${path}.type: unknown block type ${b.type}`);
  }
}

/** Every way a chat message payload breaks Block Kit's limits; empty when Slack would accept it. */
export function blockKitProblems(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  if (message.text !== undefined) {
    if (typeof message.text !== 'string') problems.push('text: not a string');
    else if (message.text.length > MAX.messageText) problems.push(`text: ${message.text.length} > ${MAX.messageText}`);
    else if (message.text.includes('\u0000')) problems.push('text: contains NUL');
  }
  if (message.blocks === undefined) {
    if (!message.text) problems.push('message: neither text nor blocks');
    return problems;
  }
  if (!Array.isArray(message.blocks)) return ['blocks: not an array'];
  const blocks = message.blocks as Json[];
  if (blocks.length > MAX.blocks) problems.push(`blocks: ${blocks.length} > ${MAX.blocks}`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    block(`blocks[${i}]`, b, problems);
    if (b.block_id) {
      if (blockIds.has(b.block_id)) problems.push(`blocks[${i}].block_id: duplicate ${b.block_id}`);
      blockIds.add(b.block_id);
    }
  });
  const size = JSON.stringify(blocks).length;
  if (size > MAX.blocksJson)
    problems.push(`blocks: ${size} characters of JSON > ${MAX.blocksJson} (msg_blocks_too_long)`);
  return problems;
}

/**
 * Modal limits, from docs.slack.dev/reference/views/modal-views, the input block
 * (docs.slack.dev/reference/block-kit/blocks/input-block) and the plain-text input element
 * (docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element).
 */
const MODAL = {
  title: 24,
  button: 24,
  blocks: 100,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  inputLength: 3000,
};

function inputBlock(path: string, b: Json, problems: string[]): void {
  textObject(`${path}.label`, b.label, MODAL.inputLabel, problems, ['plain_text']);
  if (b.hint !== undefined) textObject(`${path}.hint`, b.hint, MODAL.inputHint, problems, ['plain_text']);
  const e: Json = b.element ?? {};
  if (e.type !== 'plain_text_input') return void problems.push(`${path}.element.type: koe does not use ${e.type}`);
  id(`${path}.element.action_id`, e.action_id, problems);
  if (e.placeholder)
    textObject(`${path}.element.placeholder`, e.placeholder, MAX.placeholder, problems, ['plain_text']);
  const bounded = (name: string, value: unknown, low: number) => {
    if (
      value !== undefined &&
      (!Number.isInteger(value) || (value as number) < low || (value as number) > MODAL.inputLength)
    )
      problems.push(`${path}.element.${name}: ${String(value)} not in ${low}…${MODAL.inputLength}`);
  };
  bounded('min_length', e.min_length, 0);
  bounded('max_length', e.max_length, 1);
  if (typeof e.initial_value === 'string' && e.initial_value.length > (e.max_length ?? MODAL.inputLength))
    problems.push(`${path}.element.initial_value: longer than max_length`);
}

/** Every way a modal view (views.open, or a response_action's view) breaks Slack's limits; empty when valid. */
export function modalProblems(view: unknown): string[] {
  if (typeof view !== 'object' || view === null) return ['view: not an object'];
  const v = view as Json;
  const problems: string[] = [];
  if (v.type !== 'modal') problems.push(`view.type: ${v.type} is not modal`);
  textObject('view.title', v.title, MODAL.title, problems, ['plain_text']);
  for (const name of ['submit', 'close'] as const) {
    if (v[name] !== undefined) textObject(`view.${name}`, v[name], MODAL.button, problems, ['plain_text']);
  }
  if (v.private_metadata !== undefined && String(v.private_metadata).length > MODAL.privateMetadata)
    problems.push(`view.private_metadata: ${String(v.private_metadata).length} > ${MODAL.privateMetadata}`);
  if (v.callback_id !== undefined && String(v.callback_id).length > MODAL.callbackId)
    problems.push(`view.callback_id: > ${MODAL.callbackId}`);
  if (v.external_id !== undefined && String(v.external_id).length > MODAL.externalId)
    problems.push(`view.external_id: > ${MODAL.externalId}`);
  if (!Array.isArray(v.blocks)) return [...problems, 'view.blocks: not an array'];
  const blocks = v.blocks as Json[];
  if (blocks.length > MODAL.blocks) problems.push(`view.blocks: ${blocks.length} > ${MODAL.blocks}`);
  if (blocks.some((b) => b?.type === 'input') && v.submit === undefined)
    problems.push('view.submit: required when the view has an input block');
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    block(`view.blocks[${i}]`, b, problems, true);
    if (b.block_id) {
      if (blockIds.has(b.block_id)) problems.push(`view.blocks[${i}].block_id: duplicate ${b.block_id}`);
      blockIds.add(b.block_id);
    }
  });
  return problems;
}

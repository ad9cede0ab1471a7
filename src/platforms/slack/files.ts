import { jsonBytes, mrkdwnLiteral, sanitize } from './text.ts';

/** A file a customer attached to a Slack message: its name and its permalink. */
export interface SlackFile {
  name: string;
  url: string | null;
}

/** The parts of a Slack file object koe reads (Slack's `files[]` on a message). */
export interface SlackFileObject {
  name?: string;
  title?: string;
  permalink?: string;
}

const MAX_NAME = 200;
const MAX_URL = 1_000;
/** One stored attachment line: `📎 report.pdf (https://acme.slack.com/files/U1/F1/report.pdf)`. */
const FILE_LINE = /^📎 (.+) \((https:\/\/[^\s()]+)\)$/;
/** A file Slack gave no permalink for: `📎 notes.txt`. */
const NAME_LINE = /^📎 (.+)$/;

/** The files of a message, named by their title (what the customer sees) or file name. */
export function filesOf(files: readonly SlackFileObject[] | undefined): SlackFile[] {
  return (files ?? []).flatMap((f) => {
    const name = sanitize(f.title || f.name || '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, MAX_NAME);
    if (!name) return [];
    const url = typeof f.permalink === 'string' && /^https:\/\/\S+$/.test(f.permalink) ? f.permalink : null;
    return [{ name, url: url && url.length <= MAX_URL ? url : null }];
  });
}

/**
 * The files as lines of a stored body, after the message's text. The body is plain text read by
 * every surface (the API, Discord, the console), so each line says the name and then the link, the
 * way `slackToPlain` writes a labelled link: `📎 name (url)`.
 */
export function fileLines(files: readonly SlackFile[]): string {
  return files.map((f) => (f.url ? `📎 ${f.name} (${f.url})` : `📎 ${f.name}`)).join('\n');
}

/**
 * Splits the attachment lines at the end of a stored body from its text, for drawing them as links.
 * Only links to files in koe's own workspace (`workspaceUrl` + `files/`) count: a customer who types
 * a line that looks like one, with a link elsewhere, gets it shown as text, never as a labelled link
 * hiding where it leads.
 */
export function splitFiles(body: string, workspaceUrl: string | null): { text: string; files: SlackFile[] } {
  if (!workspaceUrl || !body.includes('📎')) return { text: body, files: [] };
  const prefix = `${workspaceUrl.replace(/\/?$/, '/')}files/`;
  const lines = body.split('\n');
  const files: SlackFile[] = [];
  while (lines.length > 0) {
    const line = lines[lines.length - 1]!;
    const linked = FILE_LINE.exec(line);
    if (linked && !linked[2]!.startsWith(prefix)) break;
    const named = linked ? null : NAME_LINE.exec(line);
    if (!linked && !named) break;
    files.unshift(linked ? { name: linked[1]!, url: linked[2]! } : { name: named![1]!, url: null });
    lines.pop();
  }
  return { text: lines.join('\n'), files };
}

/**
 * The files as one mrkdwn line of links (for a `verbatim` text object): names escaped, links koe's
 * own, as many as fit `maxBytes` of JSON (a context element holds 3,000 characters, and the message
 * has a budget of its own) with a count of the rest.
 */
export function fileLinks(files: readonly SlackFile[], maxBytes = 2_500): string {
  const shown: string[] = [];
  let used = 0;
  for (const f of files) {
    const name = mrkdwnLiteral(f.name, MAX_NAME);
    const url = f.url ? sanitize(f.url).replace(/[<>|\s]/g, (c) => encodeURIComponent(c)) : null;
    const link = url ? `📎 <${url}|${name}>` : `📎 ${name}`;
    const size = jsonBytes(link) + 2;
    if (used + size > maxBytes - 20) break;
    shown.push(link);
    used += size;
  }
  const rest = files.length - shown.length;
  return [...shown, ...(rest > 0 ? [`📎 +${rest}`] : [])].join('  ');
}

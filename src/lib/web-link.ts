/** The schemes of a link koe shows staff. */
export const WEB_LINK_SCHEMES = ['http:', 'https:'] as const;

/**
 * Why `text` is not a link koe will show staff, or null when it is one: an http: or https: URL to
 * a public host. koe posts a customer's link where staff click it, in their own browsers, on their
 * own machines and networks: `javascript:`, `data:`, `file:` or an app's scheme would run or open
 * something there, and a loopback, private or local-network host (127.0.0.1:22, the office router,
 * `localhost`, `intranet`) would aim the click at them. Only what the URL says is checked: a public
 * name that resolves to a private address is not caught (koe looks nothing up).
 *
 * That is enough because koe never fetches these URLs: nothing in src requests an inquiry's `url`
 * (it is stored, serialized, and drawn as a link), and Slack posts go out with unfurl_links and
 * unfurl_media false, so Slack does not fetch it for a preview either. A name resolving to a private
 * address can only aim a click a person makes; adding DNS resolution here would not change that (the
 * answer may differ by the time they click) and would make intake wait on the network.
 */
export function webLinkProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be a URL';
  }
  if (!(WEB_LINK_SCHEMES as readonly string[]).includes(url.protocol)) {
    return `must be an http: or https: URL, not ${url.protocol}`;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (isLocalHost(host)) {
    return `must point at a public host, not ${url.hostname} (loopback, private and local-network hosts are refused: staff open these links on their own machines)`;
  }
  return null;
}

/**
 * Names that only mean something on the machine or network they are looked up from: `localhost`
 * (RFC 6761), mDNS's `.local`, `.internal` (reserved for private use), `.home.arpa` (RFC 8375), and
 * the home routers' `.lan`.
 */
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan'];

function isLocalHost(host: string): boolean {
  if (host.startsWith('[')) return isLocalIPv6(host.slice(1, -1));
  const v4 = ipv4(host);
  if (v4) return isLocalIPv4(v4);
  // A name of one label (`localhost`, `intranet`, `router`) is found through the local resolver's search list.
  if (!host.includes('.')) return true;
  return LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** The four octets of a dotted IPv4 address (the URL parser writes every IPv4 form so: 0x7f.1 is 127.0.0.1). */
function ipv4(host: string): number[] | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return match ? match.slice(1).map(Number) : null;
}

/** Not a public unicast address: this network, private, shared (CGNAT), loopback, link-local, multicast, reserved. */
function isLocalIPv4([a, b]: number[]): boolean {
  if (a === undefined || b === undefined) return true;
  return (
    a === 0 ||
    a === 10 ||
    (a === 100 && b >= 64 && b <= 127) ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/** Unspecified, loopback, unique-local, link-local, multicast, or an IPv4-mapped local address. */
function isLocalIPv6(address: string): boolean {
  const words = ipv6Words(address);
  if (!words) return true; // the URL parser let it through, yet it is not one koe can read: refuse
  const first = words[0]!;
  const allZeroBefore = (n: number) => words.slice(0, n).every((w) => w === 0);
  if (allZeroBefore(7) && (words[7] === 0 || words[7] === 1)) return true; // :: and ::1
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00) return true;
  if (allZeroBefore(5) && words[5] === 0xffff) {
    return isLocalIPv4([words[6]! >> 8, words[6]! & 0xff, words[7]! >> 8, words[7]! & 0xff]);
  }
  return false;
}

/** The eight 16-bit words of an IPv6 address as the URL parser writes it (hex, `::` for zeros). */
function ipv6Words(address: string): number[] | null {
  const [head = '', tail, ...rest] = address.split('::');
  if (rest.length > 0) return null;
  const part = (s: string) => (s === '' ? [] : s.split(':').map((w) => Number.parseInt(w, 16)));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const zeros = 8 - left.length - right.length;
  if ((tail === undefined && zeros !== 0) || zeros < 0) return null;
  const words = [...left, ...Array<number>(zeros).fill(0), ...right];
  return words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

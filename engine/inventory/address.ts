// Host addresses and ranges as Ansible reads them: "host:port", "[v6::addr]:port", and
// "web[01:10]", "db-[a:f]", "n[0:10:2]" expansion (several ranges expand as a cartesian product).

/** Malformed address or range; the parsers add file and line. */
export class AddressError extends Error {}

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const V6 = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const V4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
const WORD = String.raw`[\p{L}\p{N}_]`;
const LABEL = `(?:${WORD}|${ALNUM_RANGE})(?:${WORD}|[_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/s;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/s;
const IPV4 = new RegExp(`^(?:${V4}\\.){3}${V4}$`, 'i');
// As in Ansible, only the last alternative is anchored at the end: the others match a prefix.
const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${V6}:){7}${V6}`,
      `(?:${V6}:){1,6}:`,
      `(?:${V6}:)(?::${V6}){1,6}`,
      `(?:${V6}:){2}(?::${V6}){1,5}`,
      `(?:${V6}:){3}(?::${V6}){1,4}`,
      `(?:${V6}:){4}(?::${V6}){1,3}`,
      `(?:${V6}:){5}(?::${V6}){1,2}`,
      `(?:${V6}:){6}(?::${V6})`,
      `:(?::${V6}){1,6}`,
      `${V6}?::`,
      `(?:0:){6}(?:${V6}\\.){3}${V6}`,
      `::(?:ffff:)?(?:${V6}\\.){3}${V6}`,
      `(?:0:){5}ffff:(?:${V6}\\.){3}${V6}$`,
    ].join('|') +
    ')',
  'i',
);
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu');

/** parse_address(): split off a port and check the rest is an IPv4/IPv6 address or hostname. */
export function parseAddress(address: string, allowRanges: boolean): { host: string; port?: number } {
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(address);
    if (m) {
      address = m[1];
      port = parseInt(m[2], 10);
    }
  }
  if (!(IPV4.test(address) || IPV6.test(address) || HOSTNAME.test(address))) {
    throw new AddressError(`Not a valid network hostname: ${address}`);
  }
  if (!allowRanges && address.includes('[')) throw new AddressError('Detected range in host but was asked to ignore ranges');
  return { host: address, port };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Refuse to build absurd host lists from a typo such as [0:99999999]. */
export const MAX_RANGE_HOSTS = 5_000_000;

/** Expand every [beg:end(:step)] in a host name, left range outermost. */
export function expandHostRange(line: string): string[] {
  const out: string[] = [];
  expandInto(line, out);
  return out;
}

function expandInto(line: string, out: string[]): void {
  const open = line.indexOf('[');
  const close = line.indexOf(']', open);
  if (open < 0) {
    out.push(line);
    return;
  }
  if (close < 0 || line.slice(0, open).includes(']')) throw new AddressError(`invalid host range in '${line}': expected [begin:end] or [begin:end:step]`);
  const head = line.slice(0, open);
  const spec = line.slice(open + 1, close);
  const tail = line.slice(close + 1);
  const bounds = spec.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new AddressError(`host range must be begin:end or begin:end:step, got [${spec}]`);
  const beg = bounds[0] || '0';
  const end = bounds[1];
  const stepText = bounds.length === 3 ? bounds[2] : '1';
  if (!end) throw new AddressError(`host range must specify end value, got [${spec}]`);
  if (!/^[0-9]+$/.test(stepText) || parseInt(stepText, 10) === 0) throw new AddressError(`host range step must be a positive integer, got [${spec}]`);
  const step = parseInt(stepText, 10);
  let fill = (s: string) => s;
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) throw new AddressError(`host range must specify equal-length begin and end formats, got [${spec}]`);
    fill = (s: string) => s.padStart(beg.length, '0');
  }
  const items: string[] = [];
  const ib = LETTERS.indexOf(beg);
  const ie = LETTERS.indexOf(end);
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new AddressError(`host range must have begin <= end, got [${spec}]`);
    for (let k = ib; k <= ie; k += step) items.push(LETTERS[k]);
  } else {
    if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) throw new AddressError(`host range must be numeric or alphabetic, got [${spec}]`);
    const b = parseInt(beg, 10);
    const e = parseInt(end, 10);
    if (b > e) throw new AddressError(`host range must have begin <= end, got [${spec}]`);
    if ((e - b) / step + 1 > MAX_RANGE_HOSTS) throw new AddressError(`host range [${spec}] is too large`);
    for (let k = b; k <= e; k += step) items.push(String(k));
  }
  const nested = tail.includes('[');
  for (const it of items) {
    const name = head + fill(it) + tail;
    if (nested) expandInto(name, out);
    else out.push(name);
    if (out.length > MAX_RANGE_HOSTS) throw new AddressError(`host range in '${line}' expands to too many hosts`);
  }
}

/** _expand_hostpattern(): names and optional port; an unparseable address is taken verbatim. */
export function expandHostPattern(pattern: string): { hostnames: string[]; port?: number } {
  let name = pattern;
  let port: number | undefined;
  try {
    const a = parseAddress(pattern, true);
    name = a.host;
    port = a.port;
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
  }
  return { hostnames: name.includes('[') ? expandHostRange(name) : [name], port };
}

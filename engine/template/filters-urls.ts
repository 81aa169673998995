// ansible-core 2.14's URL filters (urldecode, urlsplit) and Python 3.11's urllib.parse.urlsplit,
// which the uri/url/urn tests share: Python splits URLs its own way (no WHATWG normalisation,
// "admin:secret@host" has scheme "admin"), so JS's URL class would answer differently.
import { isIP, isIPv6 } from 'node:net';
import { pyRepr, pyStr } from './python.js';
import { addFilters, arg } from './registry.js';
import { EvalError } from './undefined.js';

export interface SplitResult {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+.-]+$/;

/** Python 3.11 _check_bracketed_netloc / _check_bracketed_host. */
function checkBracketed(netloc: string): void {
  const hostPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  const open = hostPort.indexOf('[');
  let host: string;
  if (open >= 0) {
    if (open > 0) throw new EvalError('Invalid IPv6 URL');
    const close = hostPort.indexOf(']');
    host = hostPort.slice(1, close < 0 ? undefined : close);
    const port = close < 0 ? '' : hostPort.slice(close + 1);
    if (port && !port.startsWith(':')) throw new EvalError('Invalid IPv6 URL');
  } else {
    host = hostPort.split(':')[0];
  }
  if (host.startsWith('v')) {
    if (!/^v[a-fA-F0-9]+\..+$/s.test(host)) throw new EvalError('IPvFuture address is invalid');
  } else if (!isIP(host)) {
    throw new EvalError(`${pyRepr(host)} does not appear to be an IPv4 or IPv6 address`);
  } else if (!isIPv6(host)) {
    throw new EvalError('An IPv4 address cannot be in brackets');
  }
}

/** urllib.parse.urlsplit(url) with its ValueErrors. */
export function pyUrlsplit(input: string): SplitResult {
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  let query = '';
  let fragment = '';
  const i = url.indexOf(':');
  if (i > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, i))) {
    scheme = url.slice(0, i).toLowerCase();
    url = url.slice(i + 1);
  }
  if (url.startsWith('//')) {
    const ends = ['/', '?', '#'].map((c) => url.indexOf(c, 2)).filter((x) => x >= 0);
    const delim = ends.length ? Math.min(...ends) : url.length;
    netloc = url.slice(2, delim);
    url = url.slice(delim);
    if (netloc.includes('[') !== netloc.includes(']')) throw new EvalError('Invalid IPv6 URL');
    if (netloc.includes('[')) checkBracketed(netloc);
  }
  const hash = url.indexOf('#');
  if (hash >= 0) [url, fragment] = [url.slice(0, hash), url.slice(hash + 1)];
  const q = url.indexOf('?');
  if (q >= 0) [url, query] = [url.slice(0, q), url.slice(q + 1)];
  return { scheme, netloc, path: url, query, fragment };
}

/** SplitResult's derived attributes: username, password, hostname, port. */
function netlocParts(netloc: string): { username: string | null; password: string | null; hostname: string | null; port: number | null } {
  const at = netloc.lastIndexOf('@');
  let username: string | null = null;
  let password: string | null = null;
  if (at >= 0) {
    const info = netloc.slice(0, at);
    const colon = info.indexOf(':');
    [username, password] = colon >= 0 ? [info.slice(0, colon), info.slice(colon + 1)] : [info, null];
  }
  const hostinfo = netloc.slice(at + 1);
  let host: string;
  let port: string;
  const open = hostinfo.indexOf('[');
  if (open >= 0) {
    const rest = hostinfo.slice(open + 1);
    const close = rest.indexOf(']');
    host = close >= 0 ? rest.slice(0, close) : rest;
    const after = close >= 0 ? rest.slice(close + 1) : '';
    port = after.includes(':') ? after.slice(after.indexOf(':') + 1) : '';
  } else {
    const colon = hostinfo.indexOf(':');
    [host, port] = colon >= 0 ? [hostinfo.slice(0, colon), hostinfo.slice(colon + 1)] : [hostinfo, ''];
  }
  let portNum: number | null = null;
  if (port) {
    if (!/^[0-9]+$/.test(port)) throw new EvalError(`Port could not be cast to integer value as ${pyRepr(port)}`);
    portNum = parseInt(port, 10);
    if (portNum > 65535) throw new EvalError('Port out of range 0-65535');
  }
  const pct = host.indexOf('%');
  const hostname = !host ? null : pct >= 0 ? host.slice(0, pct).toLowerCase() + host.slice(pct) : host.toLowerCase();
  return { username, password, hostname, port: portNum };
}

/** urllib.parse.unquote_plus: '+' is a space, %XX runs decode as UTF-8 (bad bytes become U+FFFD). */
function unquotePlus(s: string): string {
  const text = s.replace(/\+/g, ' ');
  if (!text.includes('%')) return text;
  return text.replace(/[\x00-\x7f]+/g, (run) => {
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i++) {
      if (run[i] === '%' && /^[0-9a-fA-F]{2}$/.test(run.slice(i + 1, i + 3))) {
        bytes.push(parseInt(run.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(run.charCodeAt(i));
    }
    return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
  });
}

/** urlsplit filter: every component (sorted, as helpers.object_to_dict lists them) or one. */
function splitUrl(value: unknown, query: unknown): unknown {
  const s = pyUrlsplit(pyStr(value));
  const { username, password, hostname, port } = netlocParts(s.netloc);
  const all: Record<string, unknown> = { fragment: s.fragment, hostname, netloc: s.netloc, password, path: s.path, port, query: s.query, scheme: s.scheme, username };
  if (query === null || query === undefined || query === '') return all;
  const q = pyStr(query);
  if (!Object.prototype.hasOwnProperty.call(all, q)) throw new EvalError(`urlsplit: unknown URL component: ${q}`);
  return all[q];
}

addFilters({
  urldecode: (v) => unquotePlus(pyStr(v)),
  urlsplit: (v, a, kw) => splitUrl(v, arg(a, kw, 0, 'query', '')),
});

// Counting a port's active TCP connections from /proc/net/tcp and /proc/net/tcp6, as
// wait_for's LinuxTCPConnectionInfo does for state=drained: addresses in the kernel's
// little-endian hex per 32-bit word, connection states by their hex ids, excluded remote hosts.
import { isIPv4, isIPv6 } from 'node:net';

export type Family = 4 | 6;

const STATE_IDS: Record<string, string> = {
  ESTABLISHED: '01', SYN_SENT: '02', SYN_RECV: '03', FIN_WAIT1: '04', FIN_WAIT2: '05', TIME_WAIT: '06',
};

export const DEFAULT_ACTIVE_STATES = ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'];

const MATCH_ALL: Record<Family, string> = { 4: '00000000', 6: '00000000000000000000000000000000' };
const MAPPED_PREFIX = '0000000000000000FFFF0000';
const MAPPED_MATCH_ALL = '0000000000000000FFFF000000000000';

/** The 16 bytes of an IPv6 address (with :: and a dotted IPv4 tail). */
function ipv6Bytes(ip: string): number[] {
  let text = ip.split('%')[0];
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const b = tail[1].split('.').map(Number);
    text = text.slice(0, -tail[1].length) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - r.length).fill('0'), ...r];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** _convert_host_to_hex for one address: each 32-bit word byte-swapped (ntohl), as uppercase hex. */
export function procHex(ip: string): { family: Family; hex: string } | undefined {
  let bytes: number[];
  let family: Family;
  if (isIPv4(ip)) {
    bytes = ip.split('.').map(Number);
    family = 4;
  } else if (isIPv6(ip)) {
    bytes = ipv6Bytes(ip);
    family = 6;
  } else return undefined;
  let hex = '';
  for (let i = 0; i < bytes.length; i += 4) {
    for (let j = 3; j >= 0; j--) hex += bytes[i + j].toString(16).padStart(2, '0').toUpperCase();
  }
  return { family, hex };
}

export interface ConnFilter {
  /** The waited-for host's addresses. */
  ips: { family: Family; hex: string }[];
  port: number;
  excluded: { family: Family; hex: string }[];
  states: string[];
}

/** LinuxTCPConnectionInfo.get_active_connections_count over the two files' text. */
export function activeConnections(files: { family: Family; text: string }[], f: ConnFilter): number {
  const port = f.port.toString(16).toUpperCase().padStart(4, '0');
  const states = new Set(f.states.map((s) => STATE_IDS[s]).filter(Boolean));
  const has = (list: { family: Family; hex: string }[], family: Family, hex: string) => list.some((x) => x.family === family && x.hex === hex);
  let n = 0;
  for (const { family, text } of files) {
    for (const line of text.split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[1] === 'local_address') continue;
      if (!states.has(fields[3])) continue;
      const [localIp, localPort] = fields[1].split(':');
      if (localPort !== port) continue;
      const [remoteIp] = fields[2].split(':');
      if (has(f.excluded, family, remoteIp)) continue;
      if (has(f.ips, family, localIp) || has(f.ips, family, MATCH_ALL[family]) || (localIp.startsWith(MAPPED_PREFIX) && has(f.ips, family, MAPPED_MATCH_ALL))) n++;
    }
  }
  return n;
}

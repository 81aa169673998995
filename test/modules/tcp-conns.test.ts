// wait_for state=drained's reading of /proc/net/tcp{,6} as data: addresses in the kernel's
// byte order, the port in hex, which states count, the wildcard and IPv4-mapped listeners,
// excluded remote hosts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACTIVE_STATES, activeConnections, procHex } from '../../modules/lib/tcp-conns.js';

const HEX: [string, string | undefined][] = [
  ['127.0.0.1', '0100007F'],
  ['10.1.2.3', '0302010A'],
  ['::1', '00000000000000000000000001000000'],
  ['::ffff:127.0.0.1', '0000000000000000FFFF00000100007F'],
  ['fe80::1', '000080FE000000000000000001000000'],
  ['example.com', undefined],
];

describe('procHex (_convert_host_to_hex)', () => {
  for (const [ip, hex] of HEX) it(`${ip} → ${hex}`, () => expect(procHex(ip)?.hex).toBe(hex));
});

// port 15261 = 0x3B9D; one ESTABLISHED from 10.0.0.9, one TIME_WAIT, one LISTEN (0A), another port
const TCP4 = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:3B9D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1
   1: 0100007F:3B9D 0900000A:D431 01 00000000:00000000 00:00000000 00000000     0        0 2
   2: 0100007F:3B9D 0100007F:D432 06 00000000:00000000 00:00000000 00000000     0        0 3
   3: 0100007F:0016 0900000A:D433 01 00000000:00000000 00:00000000 00000000     0        0 4
`;
const TCP6 = `  sl  local_address                         remote_address                        st
   0: 0000000000000000FFFF00000100007F:3B9D 0000000000000000FFFF00000900000A:D434 01
`;

describe('activeConnections (LinuxTCPConnectionInfo)', () => {
  const files = [{ family: 4 as const, text: TCP4 }, { family: 6 as const, text: TCP6 }];
  const base = { ips: [procHex('127.0.0.1')!], port: 15261, excluded: [], states: DEFAULT_ACTIVE_STATES };
  it('counts active states on the port, not LISTEN nor other ports', () => expect(activeConnections(files, base)).toBe(2));
  it('a wildcard host also counts IPv4-mapped IPv6 connections', () => {
    expect(activeConnections(files, { ...base, ips: [procHex('0.0.0.0')!, { family: 6, hex: '0000000000000000FFFF000000000000' }] })).toBe(3);
  });
  it('excluded remote hosts do not count', () => expect(activeConnections(files, { ...base, excluded: [procHex('10.0.0.9')!] })).toBe(1));
  it('only the states asked for', () => expect(activeConnections(files, { ...base, states: ['ESTABLISHED'] })).toBe(1));
});

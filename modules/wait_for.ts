// ansible.builtin.wait_for: wait for a port to open/close, a file to appear (optionally containing
// search_regex) or disappear, or just for `timeout` seconds. The loop runs on the controller;
// each probe is one small command on the target (nc or bash /dev/tcp for ports, the kernel's TCP
// tables for state=drained).
import { pathInfoLines, withPathInfo } from '../engine/modules-sdk/pathinfo.js';
import { quote } from '../engine/modules-sdk/quote.js';
import { BODY_MARKER, buildScript, parseOutput } from '../engine/modules-sdk/script.js';
import type { ModuleContext, ModuleDefinition, ModuleResult } from '../engine/modules-sdk/types.js';
import { pyRegex } from './lib/lineedit.js';
import { DEFAULT_ACTIVE_STATES, activeConnections, procHex, type ConnFilter } from './lib/tcp-conns.js';

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Probe script for a TCP port: prints probe=0 when a connection succeeds, and the data read when
 * asked. The data goes to a file mktemp creates (an unpredictable name, created exclusively);
 * a probe that reads nothing writes nowhere.
 */
export function portProbe(host: string, port: number, connectTimeout: number, read: boolean): string {
  const nc = read ? 'nc -w "$ct" "$h" "$p" </dev/null' : 'nc -z -w "$ct" "$h" "$p" </dev/null';
  const bash = read ? `'exec 3<>"/dev/tcp/$0/$1" && cat <&3'` : `'exec 3<>"/dev/tcp/$0/$1"'`;
  return buildScript(
    `h=${quote(host)}; p=${quote(port)}; ct=${quote(connectTimeout)}`,
    read ? `f=$(mktemp "\${TMPDIR:-/tmp}/.drover-wf.XXXXXXXXXX") || { echo probe=notmp; exit 0; }` : 'f=/dev/null',
    `if command -v nc >/dev/null 2>&1; then ${nc} > "$f" 2>/dev/null; rc=$?`,
    `elif command -v bash >/dev/null 2>&1; then`,
    `  if command -v timeout >/dev/null 2>&1; then timeout "$ct" bash -c ${bash} "$h" "$p" > "$f" 2>/dev/null; rc=$?`,
    `  else bash -c ${bash} "$h" "$p" > "$f" 2>/dev/null; rc=$?; fi`,
    `else ${read ? 'rm -f -- "$f"; ' : ''}echo probe=notool; exit 0; fi`,
    // reading until the timeout kills the reader still counts as connected when data came
    read ? `if [ "$rc" -ne 0 ] && [ -s "$f" ]; then rc=0; fi` : ':',
    `_d_emit probe "$rc"`,
    read ? `printf '%s\\n' ${quote(BODY_MARKER)}; cat -- "$f"; rm -f -- "$f"` : ':',
  );
}

/** Probe script for a path: exists=1 with its lstat (the result's file attributes), and the content when searching. */
export function pathProbe(path: string, read: boolean): string {
  return buildScript(
    `p=${quote(path)}`,
    pathInfoLines('"$p"'),
    `if [ -e "$p" ]; then _d_emit exists 1; ${read ? `[ -r "$p" ] && { printf '%s\\n' ${quote(BODY_MARKER)}; cat -- "$p"; }` : ':'}; fi`,
  );
}

interface Probe {
  ok: boolean;
  data?: string;
  noTool?: boolean;
  /** mktemp could not create the file the data read goes to. */
  noTmp?: boolean;
  /** The path's `_d_stat` line when it exists. */
  pathInfo?: string;
}

async function probe(ctx: ModuleContext, args: Record<string, unknown>, read: boolean): Promise<Probe> {
  if (args.path !== undefined) {
    const r = await ctx.run(pathProbe(String(args.path), read));
    const { fields, body } = parseOutput(r.stdout);
    return { ok: fields.exists === '1', data: body, pathInfo: fields.path_info };
  }
  const ct = Number(args.connect_timeout ?? 5);
  const r = await ctx.run(portProbe(String(args.host ?? '127.0.0.1'), Number(args.port), ct, read), { timeoutMs: (ct + 5) * 1000 });
  const { fields, body } = parseOutput(r.stdout);
  if (fields.probe === 'notool') return { ok: false, noTool: true };
  if (fields.probe === 'notmp') return { ok: false, noTmp: true };
  return { ok: fields.probe === '0', data: body };
}

/**
 * One look at the port's active connections (state=drained): the TCP tables, and on the first
 * call the addresses of `host` and `exclude_hosts` that are names (getent ahosts on the host,
 * as getaddrinfo resolves them there).
 */
async function drainProbe(ctx: ModuleContext, host: string, args: Record<string, unknown>, known?: ConnFilter): Promise<{ count: number; filter: ConnFilter }> {
  const excludes = Array.isArray(args.exclude_hosts) ? args.exclude_hosts.map(String) : [];
  const names = known ? [] : [host, ...excludes].filter((h) => !procHex(h));
  const r = await ctx.run(
    buildScript(
      ...names.map((n) => `getent ahosts ${quote(n)} 2>/dev/null | while read -r ip rest; do _d_emit ${quote(`ip_${Buffer.from(n).toString('hex')}`)} "$ip"; done`),
      `_d_emit tcp4 "$(cat /proc/net/tcp 2>/dev/null | tr '\n' ';')"`,
      `_d_emit tcp6 "$(cat /proc/net/tcp6 2>/dev/null | tr '\n' ';')"`,
    ),
  );
  const { fields, lists } = parseOutput(r.stdout);
  const addrs = (h: string) => {
    const direct = procHex(h);
    if (direct) return [direct];
    return [...new Set(lists[`ip_${Buffer.from(h).toString('hex')}`] ?? [])].map(procHex).filter((x) => x !== undefined);
  };
  const filter = known ?? {
    ips: addrs(host),
    port: Number(args.port),
    excluded: excludes.flatMap(addrs),
    states: Array.isArray(args.active_connection_states) ? args.active_connection_states.map(String) : DEFAULT_ACTIVE_STATES,
  };
  const files = [
    { family: 4 as const, text: (fields.tcp4 ?? '').replace(/;/g, '\n') },
    { family: 6 as const, text: (fields.tcp6 ?? '').replace(/;/g, '\n') },
  ];
  return { count: activeConnections(files, filter), filter };
}

const wait_for: ModuleDefinition = {
  name: 'wait_for',
  description: 'Waits for a condition before continuing',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: {
    type: 'object',
    properties: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'integer' },
      path: { type: 'string' },
      search_regex: { type: 'string' },
      state: { type: 'string', enum: ['absent', 'drained', 'present', 'started', 'stopped'], default: 'started' },
      timeout: { type: 'integer', default: 300 },
      connect_timeout: { type: 'integer', default: 5 },
      delay: { type: 'integer', default: 0 },
      sleep: { type: 'integer', default: 1 },
      msg: { type: 'string' },
      active_connection_states: { type: 'array' },
      exclude_hosts: { type: 'array' },
    },
    additionalProperties: false,
  },
  async run(args, ctx) {
    const state = String(args.state ?? 'started');
    const timeout = Number(args.timeout ?? 300);
    const host = String(args.host ?? '127.0.0.1');
    const fail = (msg: string, elapsed = 0): ModuleResult => ({ changed: false, failed: true, elapsed, msg: (args.msg as string) || msg });
    if (args.port !== undefined && args.path !== undefined) return fail('port and path parameter can not both be passed to wait_for');
    if (args.path !== undefined && state === 'stopped') return fail('state=stopped should only be used for checking a port in the wait_for module');
    if (args.path !== undefined && state === 'drained') return fail('state=drained should only be used for checking a port in the wait_for module');
    let re: RegExp | undefined;
    try {
      re = args.search_regex !== undefined ? pyRegex(String(args.search_regex)) : undefined;
    } catch (e) {
      return fail(`Invalid regular expression: ${(e as Error).message}`);
    }
    const start = Date.now();
    const elapsed = () => Math.floor((Date.now() - start) / 1000);
    await sleep(Number(args.delay ?? 0) * 1000, ctx.signal);
    const result = (extra: Record<string, unknown> = {}): ModuleResult => ({
      changed: false,
      elapsed: elapsed(),
      state,
      port: args.port ?? null,
      path: args.path ?? null,
      search_regex: args.search_regex ?? null,
      match_groups: [],
      match_groupdict: {},
      ...extra,
    });
    if (state === 'drained') {
      const end = start + timeout * 1000;
      const interval = Math.max(0, Number(args.sleep ?? 1)) * 1000;
      let filter: ConnFilter | undefined;
      while (Date.now() < end && !ctx.signal?.aborted) {
        const d = await drainProbe(ctx, host, args, filter);
        filter = d.filter;
        if (d.count === 0) return result();
        await sleep(Math.min(interval, Math.max(0, end - Date.now())), ctx.signal);
      }
      return fail(`Timeout when waiting for ${host}:${args.port} to drain`, elapsed());
    }
    if (args.port === undefined && args.path === undefined) {
      await sleep(timeout * 1000, ctx.signal);
      return result();
    }
    const end = start + timeout * 1000;
    const wantGone = state === 'absent' || state === 'stopped';
    const interval = Math.max(0, Number(args.sleep ?? 1)) * 1000;
    for (;;) {
      const p = await probe(ctx, args, !!re && !wantGone);
      if (p.noTool) return fail(`cannot check ${host}:${args.port}: neither nc nor bash is available on the host`, elapsed());
      if (p.noTmp) return fail(`cannot check ${host}:${args.port}: mktemp could not create a temporary file in \${TMPDIR:-/tmp} on the host`, elapsed());
      if (wantGone && !p.ok) return result();
      if (!wantGone && p.ok) {
        // exit_json adds the waited-for file's attributes (add_path_info; its `state` wins)
        if (!re) return withPathInfo(result(), p.pathInfo);
        const m = re.exec(p.data ?? '');
        if (m) return withPathInfo(result({ match_groups: m.slice(1).map((g) => g ?? null), match_groupdict: { ...(m.groups ?? {}) } }), p.pathInfo);
      }
      if (Date.now() >= end || ctx.signal?.aborted) break;
      await sleep(Math.min(interval, Math.max(0, end - Date.now())), ctx.signal);
    }
    const what = args.path !== undefined ? String(args.path) : `${host}:${args.port}`;
    if (state === 'stopped') return fail(`Timeout when waiting for ${what} to stop.`, elapsed());
    if (state === 'absent') return fail(`Timeout when waiting for ${what} to be absent.`, elapsed());
    if (re) return fail(`Timeout when waiting for search string ${args.search_regex} in ${what}`, elapsed());
    return fail(args.path !== undefined ? `Timeout when waiting for file ${what}` : `Timeout when waiting for ${what}`, elapsed());
  },
};

export default wait_for;

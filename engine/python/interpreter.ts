// Which Python runs a module on a host, as ansible-core 2.14 decides it
// (ActionBase._configure_module, executor/interpreter_discovery.py): ansible_python_interpreter
// or interpreter_python as a path, else discovery (auto, auto_silent, auto_legacy,
// auto_legacy_silent): the fallback list probed with `command -v`, the distribution read from
// /etc/os-release and mapped to its platform Python, with 2.14's warnings. A discovered
// interpreter is returned to the controller as the fact discovered_interpreter_python.
import type { ModuleContext } from '../modules-sdk/types.js';

export const DISCOVERY_MODES = ['auto', 'auto_legacy', 'auto_silent', 'auto_legacy_silent'];

/** INTERPRETER_PYTHON_FALLBACK of 2.14. */
const FALLBACK = ['python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6', 'python3.5', '/usr/bin/python3', '/usr/libexec/platform-python', 'python2.7', '/usr/bin/python', 'python'];

/** _INTERPRETER_PYTHON_DISTRO_MAP of 2.14. */
const DISTRO_MAP: Record<string, Record<string, string>> = {
  redhat: { '6': '/usr/bin/python', '8': '/usr/libexec/platform-python', '9': '/usr/bin/python3' },
  debian: { '8': '/usr/bin/python', '10': '/usr/bin/python3' },
  fedora: { '23': '/usr/bin/python3' },
  ubuntu: { '14': '/usr/bin/python', '16': '/usr/bin/python3' },
};

/** Distribution.OS_FAMILY (lower-cased) for the families the map knows. */
const FAMILY: Record<string, string> = Object.fromEntries([
  ...['redhat', 'rhel', 'fedora', 'centos', 'scientific', 'slc', 'ascendos', 'cloudlinux', 'psbm', 'oraclelinux', 'ovs', 'oel', 'amazon', 'virtuozzo', 'xenserver', 'alibaba', 'euleros', 'openeuler', 'almalinux', 'rocky', 'tencentos', 'euleros', 'kylin linux advanced server'].map((d) => [d, 'redhat']),
  ...['debian', 'ubuntu', 'raspbian', 'neon', 'kde neon', 'linux mint', 'linuxmint', 'steamos', 'devuan', 'kali', 'cumulus linux', 'pop!_os', 'parrot', 'pardus gnu/linux', 'uos', 'deepin', 'osmc'].map((d) => [d, 'debian']),
]);

const DOC_LINK = 'https://docs.ansible.com/ansible-core/2.14/reference_appendices/interpreter_discovery.html';

/** python_target.py of 2.14: the os-release text (platform.dist is gone from Python 3.8). */
const PLATFORM_SCRIPT = `import json, platform
def read(path):
    try:
        with open(path) as f:
            return f.read()
    except Exception:
        return None
info = dict(platform_dist_result=[])
if hasattr(platform, 'dist'):
    info['platform_dist_result'] = list(platform.dist())
info['osrelease_content'] = read('/etc/os-release') or read('/usr/lib/os-release')
print(json.dumps(info))
`;

export interface Interpreter {
  path: string;
  /** Set when found by discovery: the fact to return, and the discovery's warnings. */
  discovered?: { warnings: string[] };
}

/** LooseVersion-ish ordering of version strings ("7" < "10" < "10.1"). */
function versionKey(v: string): (number | string)[] {
  return v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function compareVersions(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    if (ka[i] === undefined) return -1;
    if (kb[i] === undefined) return 1;
    if (ka[i] === kb[i]) continue;
    return typeof ka[i] === typeof kb[i] ? (ka[i] < kb[i] ? -1 : 1) : typeof ka[i] === 'number' ? -1 : 1;
  }
  return 0;
}

/** _version_fuzzy_match: the exact version, else the closest lower one, else the lowest. */
export function fuzzyMatch(version: string, map: Record<string, string>): string {
  if (map[version]) return map[version];
  const keys = Object.keys(map).sort(compareVersions);
  const below = keys.filter((k) => compareVersions(k, version) <= 0);
  return map[below.length ? below[below.length - 1] : keys[0]];
}

function osRelease(text: string): { id: string; version: string } {
  const field = (k: string) => (new RegExp(`^${k}=["']?([^"'\\n]*)`, 'm').exec(text)?.[1] ?? '').trim();
  return { id: field('ID'), version: field('VERSION_ID') };
}

/** discover_interpreter of 2.14. */
export async function discoverPython(ctx: ModuleContext, mode: string): Promise<Interpreter> {
  const legacy = mode.startsWith('auto_legacy');
  const silent = mode.endsWith('_silent');
  const warnings: string[] = [];
  const host = ctx.host;
  let platform = 'unknown';
  let found = ['/usr/bin/python'];
  const fallbackWarning = () => {
    if (!silent) warnings.push(`Platform ${platform} on host ${host} is using the discovered Python interpreter at ${found[0]}, but future installation of another Python interpreter could change the meaning of that path. See ${DOC_LINK} for more information.`);
    return { path: found[0], discovered: { warnings } };
  };
  const probe = await ctx.conn.exec(`echo PLATFORM; uname; echo FOUND; ${FALLBACK.map((p) => `command -v '${p}'`).join('; ')}; echo ENDFOUND`);
  const m = /PLATFORM[\r\n]+([\s\S]*)FOUND([\s\S]*)ENDFOUND/.exec(probe.stdout);
  if (!m) {
    if (!silent) ctx.warn?.(`Unhandled error in Python interpreter discovery for host ${host}: unexpected output from Python interpreter discovery`);
    return fallbackWarning();
  }
  platform = m[1].toLowerCase().trim();
  found = m[2].split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/'));
  if (!found.length) {
    if (!silent) warnings.push(`No python interpreters found for host ${host} (tried ${pyList(FALLBACK)})`);
    return { path: '/usr/bin/python', discovered: { warnings } };
  }
  if (platform !== 'linux') return fallbackWarning();
  const res = await ctx.conn.exec(found[0], { stdin: PLATFORM_SCRIPT });
  let info: { platform_dist_result?: string[]; osrelease_content?: string | null };
  try {
    info = JSON.parse(res.stdout) as typeof info;
  } catch {
    if (!silent) ctx.warn?.(`Unhandled error in Python interpreter discovery for host ${host}: ${res.stdout.trim() || res.stderr.trim()}`);
    return fallbackWarning();
  }
  const dist = info.platform_dist_result ?? [];
  const { id: distro, version } = dist.length === 3 && dist.some(Boolean) ? { id: dist[0], version: dist[1] } : osRelease(info.osrelease_content ?? '');
  if (!distro || !version) return fallbackWarning();
  const key = distro.toLowerCase().trim();
  const versions = DISTRO_MAP[key] ?? DISTRO_MAP[FAMILY[key] ?? ''];
  if (!versions) return fallbackWarning();
  const platformPython = fuzzyMatch(version, versions);
  if (legacy && platformPython !== '/usr/bin/python' && found.includes('/usr/bin/python')) {
    if (!silent) warnings.push(`Distribution ${distro} ${version} on host ${host} should use ${platformPython}, but is using /usr/bin/python for backward compatibility with prior Ansible releases. See ${DOC_LINK} for more information`);
    return { path: '/usr/bin/python', discovered: { warnings } };
  }
  if (!found.includes(platformPython)) {
    if (!silent) {
      if (!FALLBACK.includes(platformPython)) warnings.push(`Platform interpreter ${platformPython} on host ${host} is missing from bootstrap list`);
      warnings.push(`Distribution ${distro} ${version} on host ${host} should use ${platformPython}, but is using ${found[0]}, since the discovered platform python interpreter was not present. See ${DOC_LINK} for more information.`);
    }
    return { path: found[0], discovered: { warnings } };
  }
  return { path: platformPython, discovered: { warnings } };
}

function pyList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}

/**
 * The interpreter for `python` modules on the task's host: ansible_python_interpreter, else
 * interpreter_python; a discovery mode is resolved with the host's discovered_interpreter_python
 * fact when it has one, else by discovery.
 */
export async function pythonInterpreter(ctx: ModuleContext, configured: string): Promise<Interpreter> {
  const v = ctx.vars.ansible_python_interpreter;
  const setting = v === undefined || v === null ? configured : String(ctx.render(String(v)));
  if (!DISCOVERY_MODES.includes(setting)) return { path: setting };
  const facts = ctx.vars.ansible_facts as Record<string, unknown> | undefined;
  const known = facts?.discovered_interpreter_python;
  if (typeof known === 'string' && known) return { path: known };
  return discoverPython(ctx, setting);
}

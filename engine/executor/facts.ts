// Fact gathering (`gather_facts` / `setup`): one portable POSIX sh script per host, parsed into
// Ansible's fact names. No Python on the target.

export const FACTS_SCRIPT = `
h=$(hostname 2>/dev/null || cat /etc/hostname 2>/dev/null || echo localhost)
echo "hostname=\${h%%.*}"
echo "fqdn=$(hostname -f 2>/dev/null || echo $h)"
echo "nodename=$h"
if [ -r /etc/os-release ]; then . /etc/os-release; echo "os_id=$ID"; echo "os_name=$NAME"; echo "os_version=$VERSION_ID"; echo "os_like=$ID_LIKE"; fi
[ -r /etc/redhat-release ] && echo "redhat_release=$(cat /etc/redhat-release)"
echo "kernel=$(uname -r)"
echo "machine=$(uname -m)"
echo "system=$(uname -s)"
awk '/^MemTotal:/{print "memtotal_kb="$2} /^SwapTotal:/{print "swaptotal_kb="$2} /^MemFree:/{print "memfree_kb="$2}' /proc/meminfo 2>/dev/null
echo "vcpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)"
echo "epoch=$(date +%s)"
echo "user=$(id -un)"
echo "uid=$(id -u)"
command -v dnf >/dev/null 2>&1 && echo "has_dnf=1"
command -v yum >/dev/null 2>&1 && echo "has_yum=1"
command -v apt-get >/dev/null 2>&1 && echo "has_apt=1"
[ -d /run/systemd/system ] && echo "systemd=1"
ip -4 route get 1.1.1.1 2>/dev/null | awk '{for(i=1;i<=NF;i++){if($i=="src")print "ipv4="$(i+1); if($i=="dev")print "iface="$(i+1)}}' | head -2
`;

const FAMILY: Record<string, string> = {
  rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat',
  debian: 'Debian', ubuntu: 'Debian', alpine: 'Alpine', sles: 'Suse', opensuse: 'Suse',
};
const DISTRO: Record<string, string> = {
  rhel: 'RedHat', centos: 'CentOS', fedora: 'Fedora', debian: 'Debian', ubuntu: 'Ubuntu',
  rocky: 'Rocky', almalinux: 'AlmaLinux', alpine: 'Alpine',
};

/** Turn the script's key=value lines into Ansible facts (without the ansible_ prefix). */
export function parseFacts(stdout: string, env: Record<string, string> = {}): Record<string, unknown> {
  const kv: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const id = (kv.os_id ?? '').toLowerCase();
  let distribution = DISTRO[id] ?? (kv.os_name || 'Unknown');
  let version = kv.os_version ?? '';
  const rh = /release ([\d.]+)/.exec(kv.redhat_release ?? '');
  if (rh && !version) version = rh[1];
  if (/Red Hat/.test(kv.redhat_release ?? '')) distribution = 'RedHat';
  const family = FAMILY[id] ?? FAMILY[(kv.os_like ?? '').split(' ')[0]] ?? distribution;
  const epoch = parseInt(kv.epoch ?? '0', 10);
  const d = new Date(epoch * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    hostname: kv.hostname,
    fqdn: kv.fqdn,
    nodename: kv.nodename,
    distribution,
    distribution_version: version,
    distribution_major_version: version.split('.')[0] || 'NA',
    os_family: family,
    system: kv.system,
    kernel: kv.kernel,
    architecture: kv.machine,
    machine: kv.machine,
    memtotal_mb: Math.floor(parseInt(kv.memtotal_kb ?? '0', 10) / 1024),
    memfree_mb: Math.floor(parseInt(kv.memfree_kb ?? '0', 10) / 1024),
    swaptotal_mb: Math.floor(parseInt(kv.swaptotal_kb ?? '0', 10) / 1024),
    processor_vcpus: parseInt(kv.vcpus ?? '1', 10),
    processor_count: parseInt(kv.vcpus ?? '1', 10),
    pkg_mgr: kv.has_dnf ? 'dnf' : kv.has_yum ? 'yum' : kv.has_apt ? 'apt' : 'unknown',
    service_mgr: kv.systemd ? 'systemd' : 'service',
    user_id: kv.user,
    user_uid: parseInt(kv.uid ?? '0', 10),
    default_ipv4: kv.ipv4 ? { address: kv.ipv4, interface: kv.iface } : {},
    env,
    date_time: {
      epoch: String(epoch),
      date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
      time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
      year: String(d.getUTCFullYear()),
      month: pad(d.getUTCMonth() + 1),
      day: pad(d.getUTCDate()),
      hour: pad(d.getUTCHours()),
      minute: pad(d.getUTCMinutes()),
      second: pad(d.getUTCSeconds()),
      iso8601: d.toISOString().replace(/\.\d+Z$/, 'Z'),
      tz: 'UTC',
    },
  };
}

/** Facts as Ansible exposes them: ansible_facts.X and, injected, ansible_X. */
export function factsResult(facts: Record<string, unknown>, subset?: string[]): Record<string, unknown> {
  const picked = subset && subset.length && !subset.includes('all')
    ? Object.fromEntries(Object.entries(facts).filter(([k]) => subset.some((s) => k === s || k.startsWith(s))))
    : facts;
  return Object.fromEntries(Object.entries(picked).map(([k, v]) => [`ansible_${k}`, v]));
}

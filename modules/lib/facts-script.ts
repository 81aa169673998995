// The fact-gathering shell script of the setup module: one POSIX sh script, one round trip,
// sections switched on by `w_<section>=1` variables (from gather_subset). Each section prints
// `key=value` lines; multi-line data (env, interfaces, cpuinfo) comes in tagged lines parsed by
// lib/facts-parse.ts. Release files are read directly (lab hosts pose as RHEL 7 through
// /etc/os-release and /etc/redhat-release). Local facts (facts.d) come back base64-encoded,
// parsed by lib/local-facts.ts.
import { quote } from '../../engine/modules-sdk/quote.js';
import { DMI_SCRIPT } from './dmi-facts.js';

export const SECTIONS = ['platform', 'distribution', 'user', 'env', 'date_time', 'dns', 'pkg_mgr', 'service_mgr', 'selinux', 'fips', 'cmdline', 'python', 'local', 'hardware', 'network', 'virtual', 'loadavg'] as const;
export type Section = (typeof SECTIONS)[number];

const BODY = String.raw`
_kv() { printf '%s=%s\n' "$1" "$2"; }
_file() { [ -r "$2" ] && while IFS= read -r _l || [ -n "$_l" ]; do printf '%s=%s\n' "$1" "$_l"; done < "$2"; }
if [ -n "$w_platform" ]; then
  h=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null || uname -n)
  _kv nodename "$(uname -n)"; _kv hostname_full "$h"
  ip=$(getent hosts "$h" 2>/dev/null | awk '{print $1; exit}')
  [ -n "$ip" ] && _kv fqdn_line "$(getent hosts "$ip" 2>/dev/null | head -n 1)"
  _kv system "$(uname -s)"; _kv kernel "$(uname -r)"; _kv kernel_version "$(uname -v)"; _kv machine "$(uname -m)"
  _kv userspace_bits "$(getconf LONG_BIT 2>/dev/null)"
  [ -r /etc/machine-id ] && _kv machine_id "$(cat /etc/machine-id)"
fi
if [ -n "$w_distribution" ]; then
  _file os_release /etc/os-release
  _file redhat_release /etc/redhat-release
  _file centos_release /etc/centos-release
  _file debian_version /etc/debian_version
fi
if [ -n "$w_user" ]; then
  _kv user_id "$(id -un)"; _kv user_uid "$(id -u)"; _kv user_gid "$(id -g)"
  _kv user_pw "$(getent passwd "$(id -un)" 2>/dev/null)"; _kv user_home "$HOME"
  _kv real_user_id "$(id -ru)"; _kv real_group_id "$(id -rg)"
fi
if [ -n "$w_date_time" ]; then
  _kv date_local "$(date '+%Y %m %d %H %M %S %Z %z %A %w %W %s %j')"
  _kv date_ns "$(date '+%N' 2>/dev/null)"
  _kv date_utc "$(date -u '+%Y-%m-%dT%H:%M:%SZ %Y%m%dT%H%M%S')"
fi
if [ -n "$w_dns" ]; then _file resolv /etc/resolv.conf; fi
if [ -n "$w_pkg_mgr" ]; then
  for m in dnf yum apt-get zypper apk pacman; do command -v "$m" >/dev/null 2>&1 && _kv has_pkg "$m"; done
fi
if [ -n "$w_service_mgr" ]; then
  [ -r /proc/1/comm ] && _kv proc1 "$(cat /proc/1/comm)"
  command -v systemctl >/dev/null 2>&1 && { [ -d /run/systemd/system ] || [ -d /dev/.run/systemd ] || [ -d /dev/.systemd ]; } && _kv systemd_managed 1
  [ -x /sbin/openrc ] && _kv openrc 1
  [ -d /etc/init.d ] && _kv initd 1
fi
if [ -n "$w_selinux" ]; then
  if [ -r /sys/fs/selinux/enforce ]; then _kv selinux_enforce "$(cat /sys/fs/selinux/enforce)"; fi
  [ -r /etc/selinux/config ] && _kv selinux_config "$(sed -n 's/^SELINUX=//p' /etc/selinux/config | head -n 1)"
fi
if [ -n "$w_fips" ]; then [ -r /proc/sys/crypto/fips_enabled ] && _kv fips "$(cat /proc/sys/crypto/fips_enabled)"; fi
if [ -n "$w_cmdline" ]; then [ -r /proc/cmdline ] && _kv cmdline "$(cat /proc/cmdline)"; fi
if [ -n "$w_python" ]; then
  for py in python3 python /usr/libexec/platform-python; do
    pyx=$(command -v "$py" 2>/dev/null) && { _kv python_exe "$pyx"; _kv python_version "$("$pyx" --version 2>&1)"; break; }
  done
fi
if [ -n "$w_hardware" ]; then
  _file meminfo /proc/meminfo
  [ -r /proc/cpuinfo ] && grep -E '^(processor|physical id|core id|cpu cores|siblings|vendor_id|model name)' /proc/cpuinfo | sed 's/^/cpu=/'
  _kv nproc "$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null)"
  [ -r /proc/uptime ] && _kv uptime "$(cut -d' ' -f1 /proc/uptime)"
  # mounts as LinuxHardware.get_mount_facts: /etc/mtab else /proc/mounts, devices that are paths
  # (or host:/path), sizes from statvfs (stat -f), the UUID from lsblk
  mt=/etc/mtab; [ -r "$mt" ] || mt=/proc/mounts
  [ -r "$mt" ] && while read -r _d _m _t _o _rest; do
    case "$_d" in /*|'\'*|*:/*) ;; *) continue ;; esac
    [ "$_t" = none ] && continue
    _m2=$(printf '%b' "$(printf '%s' "$_m" | sed 's/\\\([0-7][0-7][0-7]\)/\\0\1/g')")
    _st=$(stat -f -c '%S %s %b %a %c %d' "$_m2" 2>/dev/null) || continue
    _u=$(lsblk -ln --output UUID "$_d" 2>/dev/null | head -n 1)
    printf 'mount=%s\t%s\t%s\t%s\t%s\t%s\n' "$_d" "$_m2" "$_t" "$_o" "$_st" "$_u"
  done < "$mt"
${DMI_SCRIPT}
fi
if [ -n "$w_loadavg" ]; then [ -r /proc/loadavg ] && _kv loadavg "$(cat /proc/loadavg)"; fi
if [ -n "$w_network" ]; then
  _kv route4 "$(ip -4 route get 8.8.8.8 2>/dev/null | head -n 1)"
  _kv route6 "$(ip -6 route get 2001:4860:4860::8888 2>/dev/null | head -n 1)"
  ip -o addr show 2>/dev/null | sed 's/^/addr=/'
  for d in /sys/class/net/*; do
    [ -e "$d" ] || continue
    n=${'$'}{d##*/}
    _kv iface "$n $(cat "$d/address" 2>/dev/null) $(cat "$d/mtu" 2>/dev/null) $(cat "$d/type" 2>/dev/null) $(cat "$d/operstate" 2>/dev/null)"
  done
fi
if [ -n "$w_virtual" ]; then
  command -v systemd-detect-virt >/dev/null 2>&1 && _kv detect_virt "$(systemd-detect-virt 2>/dev/null)"
  [ -e /.dockerenv ] && _kv dockerenv 1
  [ -r /proc/1/cgroup ] && grep -qE 'docker|lxc|kubepods' /proc/1/cgroup 2>/dev/null && _kv cgroup_container "$(grep -oE 'docker|lxc|kubepods' /proc/1/cgroup | head -n 1)"
  [ -r /run/systemd/container ] && _kv container "$(cat /run/systemd/container)"
  [ -n "$container" ] && _kv container "$container"
fi
if [ -n "$w_local" ]; then
  case $fact_path in "~"|"~/"*) fact_path="$HOME${'$'}{fact_path#\~}";; esac
  if [ -d "$fact_path" ]; then
    _t=$(mktemp -d 2>/dev/null) || _t=/tmp/.drover-facts.$$
    mkdir -p "$_t"
    _b64() { _v=$(base64 < "$1" 2>/dev/null | tr -d '\n'); printf '%s' "${'$'}{_v:--}"; }
    for _f in "$fact_path"/*.fact; do
      [ -e "$_f" ] || [ -L "$_f" ] || continue
      printf '%s' "$_f" > "$_t/n"
      if [ ! -e "$_f" ]; then _kv local_fact "$(_b64 "$_t/n") s - - -"; continue; fi
      _m=$(stat -L -c %f "$_f" 2>/dev/null)
      if [ $(( 0x${'$'}{_m:-0} & 64 )) -ne 0 ]; then
        "$_f" > "$_t/o" 2> "$_t/e"; _rc=$?
        _kv local_fact "$(_b64 "$_t/n") x $_rc $(_b64 "$_t/o") $(_b64 "$_t/e")"
      else
        _kv local_fact "$(_b64 "$_t/n") r 0 $(_b64 "$_f") -"
      fi
    done
    rm -rf "$_t"
  fi
fi
if [ -n "$w_env" ]; then printf '%s\n' __DROVER_ENV__; env; fi
`;

/** The script for a set of sections; `factPath` is where the local facts (*.fact) are. */
export function factsScript(sections: Iterable<Section>, factPath = '/etc/ansible/facts.d'): string {
  const on = new Set(sections);
  return SECTIONS.map((s) => `w_${s}=${on.has(s) ? 1 : ''}`).join('\n') + `\nfact_path=${quote(factPath)}\n` + BODY;
}

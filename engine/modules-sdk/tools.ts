// Host tools a module drives (oc, sysctl, etcdctl, ...): when the shell cannot find or run one it
// says so with rc 127 (126: found but not executable). That is a failure of the task, never a
// result to interpret ("oc: not found" is not the server's NotFound), and it is reported as
// Ansible's get_bin_path(required=True) reports it.

/** The command could not be run at all: the tool is missing (127) or not executable (126). */
export function toolMissing(r: { rc: number | null }): boolean {
  return r.rc === 127 || r.rc === 126;
}

/** A checksum was asked for and the host has none of the tools _d_sum can use for it. */
export function checksumToolMissing(algo: string): string {
  return `${toolMissingMessage(`${algo}sum`)} (nor shasum or openssl) to compute a ${algo} checksum`;
}

/** The task's message for a missing tool, with what the shell said when it ran it. */
export function toolMissingMessage(tool: string, r?: { rc: number | null; stderr?: string }): string {
  const said = (r?.stderr ?? '').trim();
  return `Failed to find required executable "${tool}" on the host${r ? ` (rc ${r.rc})` : ''}${said ? `: ${said}` : ''}`;
}

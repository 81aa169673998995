// The project's own shim for ad-hoc `ansible` in the shared targets. The shared run.sh routes only
// ansible-playbook and ansible-inventory to drover (its shim/ has no `ansible`), and the shared
// material is not ours to change: so the harness puts this folder first on the PATH it gives
// run.sh. run.sh puts its own shim/ and helpers/ before it, which hold no `ansible`, so this one
// answers. It sends `ansible` to `drover adhoc` only in the drover run (run.sh names the tool in
// DROVER_SHIM_LOG, "<target>.drover.shim.log"); the ansible run gets the real ansible.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';

export const ADHOC_SHIM = `#!/usr/bin/env bash
# drover's shim: ad-hoc "ansible" -> "drover adhoc" in run.sh's drover run, the real ansible otherwise.
here=$(cd "$(dirname "$0")" && pwd)
case "\${DROVER_SHIM_LOG:-}" in
  *.drover.shim.log)
    printf '%s\\n' "ansible $*" >> "$DROVER_SHIM_LOG"
    exec "\${DROVER_BIN:?DROVER_BIN: path of bin/drover}" adhoc "$@" ;;
esac
# the real ansible: the first one on PATH that is not this file
IFS=: read -ra dirs <<< "$PATH"
for d in "\${dirs[@]}"; do
  [ "$d" = "$here" ] && continue
  [ -x "$d/ansible" ] && exec "$d/ansible" "$@"
done
echo "ansible: not found on PATH" >&2
exit 127
`;

/** A new temporary folder holding the `ansible` shim (removed with the test file's temp dirs). */
export function adhocShimDir(): string {
  const dir = tempDir('drover-adhoc-shim-');
  const file = join(dir, 'ansible');
  writeFileSync(file, ADHOC_SHIM);
  chmodSync(file, 0o755);
  return dir;
}

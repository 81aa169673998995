// What loading the inventory has to say on stderr, in Ansible's order: plugin [ERROR]s (an
// inventory script's stderr), stderr of ansible-inventory runs, then [WARNING]s. A load that
// fails on an INVENTORY_*UNPARSED* setting shows what came before the error too.
import { InventoryLoadError, loadInventory, type Inventory, type LoadOptions } from '../inventory/index.js';
import { formatDisplayError, formatWarning } from '../output/plain.js';

export function showInventoryNotices(inv: Inventory, opts: { warnings: boolean }): void {
  for (const e of inv.errors) process.stderr.write(formatDisplayError(e));
  for (const t of inv.stderrText) process.stderr.write(t);
  if (opts.warnings) for (const w of new Set(inv.warnings)) process.stderr.write(formatWarning(w));
}

/** loadInventory() that prints the notices (warnings only if `warnings`; the playbook shows them later). */
export async function loadInventoryShown(sources: string[], opts: LoadOptions, show: { warnings: boolean }): Promise<Inventory> {
  let inv: Inventory;
  try {
    inv = await loadInventory(sources, opts);
  } catch (e) {
    if (e instanceof InventoryLoadError) showInventoryNotices(e.partial, { warnings: true });
    throw e;
  }
  showInventoryNotices(inv, show);
  return inv;
}

// The example playbooks and the inventory each one is checked against (examples/README.md lists
// the same pairs). One place, so a new example gets syntax/listing parity checks by adding a line.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ExampleCase {
  playbook: string;
  inventory: string;
  /** Extra arguments for the listing comparisons (e.g. a tag selection). */
  extra?: string[];
  /** false: syntax check only (the listing is covered by a playbook that imports this one). */
  listing?: boolean;
}

const HA = 'inventories/openshift-3.7-ha/hosts';

export const EXAMPLES: ExampleCase[] = [
  { playbook: 'examples/openshift-3.9/upgrade.yml', inventory: HA },
  { playbook: 'examples/openshift-3.9/upgrade_control_plane.yml', inventory: HA, listing: false },
  { playbook: 'examples/openshift-3.9/upgrade_control_plane.yml', inventory: 'inventories/openshift-3.7-single/hosts' },
  { playbook: 'examples/openshift-3.9/upgrade_nodes.yml', inventory: HA, listing: false },
  { playbook: 'examples/openshift-3.9/upgrade_nodes.yml', inventory: HA, extra: ['-t', 'plan'] },
  { playbook: 'examples/openshift-3.9/etcd_backup.yml', inventory: HA, listing: false },
  { playbook: 'examples/openshift-3.9/etcd_restore.yml', inventory: HA },
  { playbook: 'examples/openshift-3.9/docker_upgrade.yml', inventory: HA },
  { playbook: 'examples/openshift-3.9/docker_swap.yml', inventory: HA, listing: false },
  { playbook: 'examples/openshift-3.9/downgrade.yml', inventory: HA },
  { playbook: 'examples/openshift-3.9/blue_green.yml', inventory: 'inventories/openshift-3.9-bluegreen/hosts' },
  { playbook: 'examples/openshift-3.9/blue_green.yml', inventory: 'inventories/openshift-3.9-bluegreen/hosts', extra: ['-t', 'switch,evacuate'] },
  { playbook: 'examples/openshift-3.9/os_update.yml', inventory: HA },
  { playbook: 'examples/stf-1.3/upgrade.yml', inventory: 'inventories/stf/hosts' },
  { playbook: 'examples/osm-edge/upgrade.yml', inventory: 'inventories/osm-edge/hosts' },
  { playbook: 'examples/sno-ibu/upgrade.yml', inventory: 'inventories/sno-ibu/hosts' },
];

/** The inventories under inventories/ that the examples ship (lab-* ones belong to the lab). */
export const INVENTORIES = [
  HA,
  'inventories/openshift-3.7-single/hosts',
  'inventories/openshift-3.9-bluegreen/hosts',
  'inventories/stf/hosts',
  'inventories/osm-edge/hosts',
  'inventories/sno-ibu/hosts',
];

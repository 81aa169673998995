// The lab's rpms ship the systemd units the upgrade playbooks restart, as RHEL's packages do:
// marked simulated, naming the rpm whose version the service runs, and identical across versions
// (an upgrade must not change the unit text, or the lab's systemctl would ask for daemon-reload).
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../engine/lab/rpms/catalog.js';

const UNITS: Record<string, string> = {
  'atomic-openshift-master-api': 'atomic-openshift-master',
  'atomic-openshift-master-controllers': 'atomic-openshift-master',
  'atomic-openshift-node': 'atomic-openshift-node',
  docker: 'docker',
  openvswitch: 'openvswitch',
  etcd: 'etcd',
};

describe('unit files in the lab rpms', () => {
  for (const [unit, pkg] of Object.entries(UNITS)) {
    it(`${pkg} ships ${unit}.service in every version`, () => {
      const path = `/usr/lib/systemd/system/${unit}.service`;
      const shipped = CATALOG.flatMap((src) => src.packages.filter((p) => p.name === pkg).map((p) => ({ v: src.version, file: p.files?.find((f) => f.path === path) })));
      expect(shipped.length).toBeGreaterThan(1);
      for (const s of shipped) expect(s.file, `${pkg} ${s.v}`).toBeDefined();
      const texts = new Set(shipped.map((s) => s.file?.content));
      expect(texts.size).toBe(1);
      const text = [...texts][0] ?? '';
      expect(text).toMatch(/^X-Drover-Simulated=yes$/m);
      expect(text).toMatch(new RegExp(`^X-Drover-Package=${pkg}$`, 'm'));
      expect(text).toMatch(/^ExecStart=\S/m);
      expect(shipped.some((s) => text.includes(s.v))).toBe(false);
    });
  }
});

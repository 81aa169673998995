// ansible.builtin.service_facts: ansible_facts.services from systemctl, keyed by unit name.
import type { ModuleDefinition } from '../engine/modules-sdk/types.js';
import { parseServiceFacts, SERVICE_FACTS_SCRIPT } from './lib/service-facts.js';

const serviceFacts: ModuleDefinition = {
  name: 'service_facts',
  description: 'Return service state information as fact data',
  supportsCheckMode: true,
  supportsDiff: false,
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(_args, ctx) {
    const r = await ctx.run(SERVICE_FACTS_SCRIPT);
    const { failed, services } = parseServiceFacts(r.stdout);
    if (failed !== undefined) return { changed: false, failed: true, msg: failed };
    if (r.rc !== 0) return { changed: false, failed: true, rc: r.rc, msg: (r.stderr || r.stdout).trim() || `rc=${r.rc}` };
    return { changed: false, ansible_facts: { services } };
  },
};

export default serviceFacts;

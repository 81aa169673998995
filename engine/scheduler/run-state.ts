// What the scheduler remembers about hosts for a whole run (all plays, all batches): gathered
// facts, set_fact/register results, include_vars, and who failed or went unreachable.

export interface HostMemory {
  /** Gathered facts (ansible_* names) — the `facts` layer. */
  facts: Record<string, unknown>;
  /** set_fact and register results — the `host_facts` layer. */
  hostFacts: Record<string, unknown>;
  /** include_vars results. */
  includeVars: Record<string, unknown>;
}

export class RunState {
  private readonly hosts = new Map<string, HostMemory>();
  /** Hosts that failed in any play so far (Ansible's TQM _failed_hosts after each run). */
  readonly failed = new Set<string>();
  readonly unreachable = new Set<string>();

  memory(host: string): HostMemory {
    let m = this.hosts.get(host);
    if (!m) {
      m = { facts: {}, hostFacts: {}, includeVars: {} };
      this.hosts.set(host, m);
    }
    return m;
  }

  /** Facts are also injected as top-level ansible_* vars; `ansible_facts` holds them without prefix. */
  setFacts(host: string, facts: Record<string, unknown>): void {
    const m = this.memory(host);
    const plain = (m.facts.ansible_facts as Record<string, unknown>) ?? {};
    const next: Record<string, unknown> = { ...m.facts };
    for (const [k, v] of Object.entries(facts)) {
      next[k] = v;
      plain[k.startsWith('ansible_') ? k.slice(8) : k] = v;
    }
    next.ansible_facts = plain;
    m.facts = next;
  }

  setHostFacts(host: string, vars: Record<string, unknown>): void {
    const m = this.memory(host);
    m.hostFacts = { ...m.hostFacts, ...vars };
  }

  setIncludeVars(host: string, vars: Record<string, unknown>): void {
    const m = this.memory(host);
    m.includeVars = { ...m.includeVars, ...vars };
  }

  /**
   * meta: clear_facts empties the fact cache only: set_fact results (cacheable ones too, which
   * 2.14 also keeps as non-persistent facts) survive, as ansible-playbook shows.
   */
  clearFacts(host: string): void {
    this.memory(host).facts = {};
  }
}

// What the scheduler remembers about hosts for a whole run (all plays, all batches): gathered
// facts, set_fact/register results, include_vars, and who failed or went unreachable.
import { mergeable, mergeHash } from '../vars/combine.js';

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

  /**
   * INJECT_FACTS_AS_VARS (ANSIBLE_INJECT_FACT_VARS, [defaults] inject_facts_as_vars): when off,
   * facts are only `ansible_facts.X` (and `ansible_local` is always promoted, as 2.14 does).
   */
  constructor(
    private readonly injectFacts = true,
    /** hash_behaviour=merge: include_vars merges a dictionary into the one it replaces. */
    private readonly merge = false,
  ) {}

  /** The facts layer before any fact: `ansible_facts` is always defined (VariableManager). */
  private emptyFacts(): Record<string, unknown> {
    return this.injectFacts ? { ansible_facts: {} } : { ansible_facts: {}, ansible_local: {} };
  }

  memory(host: string): HostMemory {
    let m = this.hosts.get(host);
    if (!m) {
      m = { facts: this.emptyFacts(), hostFacts: {}, includeVars: {} };
      this.hosts.set(host, m);
    }
    return m;
  }

  /**
   * Facts go to `ansible_facts` without their ansible_ prefix (but ansible_local keeps its name,
   * namespace_facts()) and, injected, also as top-level names.
   */
  setFacts(host: string, facts: Record<string, unknown>): void {
    const m = this.memory(host);
    const plain = { ...((m.facts.ansible_facts as Record<string, unknown>) ?? {}) };
    const next: Record<string, unknown> = { ...m.facts };
    for (const [k, v] of Object.entries(facts)) {
      if (this.injectFacts) next[k] = v;
      else if (k === 'ansible_local') next.ansible_local = v;
      plain[k.startsWith('ansible_') && k !== 'ansible_local' ? k.slice(8) : k] = v;
    }
    next.ansible_facts = plain;
    m.facts = next;
  }

  setHostFacts(host: string, vars: Record<string, unknown>): void {
    const m = this.memory(host);
    m.hostFacts = { ...m.hostFacts, ...vars };
  }

  /** VariableManager.set_host_variable for each variable (combine_vars for dictionaries). */
  setIncludeVars(host: string, vars: Record<string, unknown>): void {
    const m = this.memory(host);
    const next = { ...m.includeVars };
    for (const [k, v] of Object.entries(vars)) {
      next[k] = this.merge && mergeable(next[k], v) ? mergeHash(next[k] as Record<string, unknown>, v as Record<string, unknown>) : v;
    }
    m.includeVars = next;
  }

  /**
   * meta: clear_facts empties the fact cache only: set_fact results (cacheable ones too, which
   * 2.14 also keeps as non-persistent facts) survive, as ansible-playbook shows.
   */
  clearFacts(host: string): void {
    this.memory(host).facts = this.emptyFacts();
  }
}

// What the scheduler remembers about hosts for a whole run (all plays, all batches): gathered
// facts, set_fact/register results, include_vars, and who failed or went unreachable.
import { mergeable, mergeHash } from '../vars/combine.js';
import { MemoryFactCache, type FactCache, type RawFacts } from './fact-cache.js';

export interface HostMemory {
  /** The facts layer: the fact cache's facts as ansible_facts.X and, injected, ansible_* names. */
  facts: Record<string, unknown>;
  /** set_fact and register results — the `host_facts` layer (non-persistent facts). */
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
   * `cache` holds the raw facts (memory by default, jsonfile across runs).
   */
  constructor(
    private readonly injectFacts = true,
    private readonly cache: FactCache = new MemoryFactCache(),
    /** hash_behaviour=merge: include_vars merges a dictionary into the one it replaces. */
    private readonly merge = false,
  ) {}

  /**
   * VariableManager.get_vars on the cached facts: namespace_facts (ansible_ prefix dropped, but
   * ansible_local keeps its name) under ansible_facts, always defined, and, injected, the facts
   * as they are; else only ansible_local is promoted.
   */
  private factsLayer(raw: RawFacts | undefined): Record<string, unknown> {
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw ?? {})) plain[k.startsWith('ansible_') && k !== 'ansible_local' ? k.slice(8) : k] = v;
    if (this.injectFacts) return { ...raw, ansible_facts: plain };
    return { ansible_facts: plain, ansible_local: raw?.ansible_local ?? {} };
  }

  memory(host: string): HostMemory {
    let m = this.hosts.get(host);
    if (!m) {
      m = { facts: this.factsLayer(this.cache.get(host)), hostFacts: {}, includeVars: {} };
      this.hosts.set(host, m);
    }
    return m;
  }

  /** set_host_facts: merged into the host's cached facts (a module's facts, cacheable set_fact). */
  setFacts(host: string, facts: Record<string, unknown>): void {
    const m = this.memory(host);
    const raw = { ...this.cache.get(host), ...facts };
    this.cache.set(host, raw);
    m.facts = this.factsLayer(raw);
  }

  /** set_nonpersistent_facts: set_fact and register results, for the rest of the run. */
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
   * meta: clear_facts (and --flush-cache) empties the fact cache only: set_fact results
   * (cacheable ones too, which 2.14 also keeps as non-persistent facts) survive, as
   * ansible-playbook shows.
   */
  clearFacts(host: string): void {
    this.cache.delete(host);
    this.memory(host).facts = this.factsLayer(undefined);
  }
}

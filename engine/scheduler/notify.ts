// Handler notification as ansible-core 2.14's StrategyBase._process_pending_results does it: a
// notify name reaches one handler by name (searched like search_handler_blocks_by_name, names
// templated once with play-level variables) plus every handler listening to it; an unknown name
// is an error (or a warning with error_on_missing_handler off); -vv prints "NOTIFIED HANDLER".
import { DroverError, ExitCode } from '../errors/index.js';
import { isUndefinedError, undefinedReason } from '../modules-sdk/values.js';
import type { Task } from '../playbook/types.js';
import { pyStr } from '../template/python.js';
import { VarScope, type VarLookup } from '../vars/scope.js';
import type { PlayRunner } from './play-runner.js';

/** A handler's own names: its name and "role : name" (Task.get_name), never listen topics. */
function ownNames(h: Task, name: string | undefined): string[] {
  if (name === undefined || name === '') return [];
  return h.origin.role ? [name, `${h.origin.role.name} : ${name}`] : [name];
}

/**
 * Handler tasks a notify name refers to. By name: handlers come in blocks (one per handlers
 * file), searched last block first and in order within a block, so the first handler with the
 * name in the last block that has one wins. `nameOf` gives a handler's (templated) name, or
 * undefined when it cannot be used. Listeners: every handler with the name among its `listen`
 * topics (the loader also lists a handler's own names there; only real topics fan out).
 */
export function handlersFor(handlers: Task[], name: string, nameOf: (h: Task) => string | undefined = (h) => h.name): Task[] {
  const blocks: Task[][] = [];
  for (const h of handlers) {
    const last = blocks[blocks.length - 1];
    if (last && last[0].origin.pos.file === h.origin.pos.file && last[0].origin.role?.path === h.origin.role?.path) last.push(h);
    else blocks.push([h]);
  }
  let named: Task | undefined;
  for (const block of blocks.reverse()) {
    named = block.find((h) => ownNames(h, nameOf(h)).includes(name));
    if (named) break;
  }
  return handlers.filter((h) => h === named || ((h.listen ?? []).includes(name) && !ownNames(h, h.name).includes(name)));
}

/** Handler names rendered once per play with play-level variables (Ansible's cached_name). */
export class HandlerNames {
  private readonly names = new Map<Task, string | undefined>();

  constructor(private readonly r: PlayRunner) {}

  nameOf(h: Task): string | undefined {
    if (this.names.has(h)) return this.names.get(h);
    let name = h.name;
    if (name !== undefined && /\{\{|\{%/.test(name)) {
      try {
        name = String(this.r.ctx.templar.render(name, this.scope(h)));
      } catch (e) {
        // host-specific or not yet defined variables: the handler is reachable by listen only
        const topics = (h.listen ?? []).filter((t) => !ownNames(h, h.name).includes(t));
        if (!topics.length) {
          this.r.ctx.emit({
            kind: 'warning',
            message: `Handler '${h.name}' is unusable because it has no listen topics and the name could not be templated (host-specific variables are not supported in handler names). The error: ${isUndefinedError(e) ? undefinedReason(e as Error) : (e as Error).message}`,
          });
        }
        name = undefined;
      }
    }
    this.names.set(h, name);
    return name;
  }

  private scope(h: Task): VarLookup {
    const role = h.origin.role;
    return new VarScope(
      {
        role_defaults: role?.defaults, play_vars: this.r.play.vars ?? {}, role_vars: role ? [role.entryVars ?? {}, role.roleVars] : undefined,
        task_vars: h.vars, role_params: role?.params, extra_vars: this.r.ctx.options.extraVars,
      },
      (v, l) => this.r.ctx.templar.render(v, l),
    );
  }
}

/** Notify the handlers named by a changed task's (rendered) `notify` for `hosts`. */
export function notifyHandlers(r: PlayRunner, notify: unknown, hosts: string[], scope: VarLookup): void {
  // a whole-field template ("{{ handler_list }}") renders to the names; a list's entries render
  // to one name each (a list entry that renders to a list is that list's str(), as in 2.14)
  const names = typeof notify === 'string'
    ? ([] as unknown[]).concat(r.ctx.templar.render(notify, scope))
    : ((notify ?? []) as unknown[]).map((raw) => r.ctx.templar.render(raw, scope));
  for (const entry of names) {
    const name = pyStr(entry);
    const found = handlersFor(r.play.handlers, name, (h) => r.handlerNames.nameOf(h));
    if (!found.length) {
      const msg = `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`;
      if (r.ctx.options.errorOnMissingHandler !== false) throw new DroverError(msg, { exitCode: ExitCode.ERROR });
      r.ctx.emit({ kind: 'warning', message: msg });
      continue;
    }
    for (const h of found) {
      let set = r.notified.get(h);
      if (!set) r.notified.set(h, (set = new Set()));
      for (const host of hosts) {
        if (set.has(host)) continue;
        set.add(host);
        const title = r.handlerNames.nameOf(h) ?? h.name ?? h.action;
        r.ctx.emit({ kind: 'message', text: `NOTIFIED HANDLER ${h.origin.role ? `${h.origin.role.name} : ${title}` : title} for ${host}`, stream: 'stdout', verbosity: 2 });
      }
    }
  }
}

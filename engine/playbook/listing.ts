// Data and text for --list-tasks / --list-tags, matching ansible-playbook 2.14: tasks in run
// order (pre_tasks, roles, tasks, post_tasks), filtered by --tags/--skip-tags, each with its
// inherited tags; dynamic includes appear as themselves, their contents do not; rescue and
// always sections are not listed (as in ansible-playbook).
import { relative } from 'node:path';
import { pyRepr } from '../template/python.js';
import { roleDisplayName, type Item, type Play, type Playbook, type Task } from './types.js';

export interface ListOptions {
  /** --tags (default: all). */
  tags?: string[];
  /** --skip-tags. */
  skipTags?: string[];
  /** Renders play names, host patterns and templated tags with the play's vars (optional). */
  render?: (text: string, vars: Record<string, unknown>) => unknown;
  /** Path shown after "playbook:" (default: the file relative to the working directory). */
  displayPath?: string;
}

export interface ListedTask {
  /** As --list-tasks prints it: "role : name", "name" or the action as written. */
  name: string;
  /** The task's own and inherited tags plus the play's, sorted. */
  tags: string[];
  task: Task;
}

export interface ListedPlay {
  /** 1-based, across imported playbooks. */
  index: number;
  hosts: string;
  name: string;
  /** The play's own tags (including those of import_playbook). */
  tags: string[];
  tasks: ListedTask[];
  /** Every tag of the play and of its listed tasks, sorted (--list-tags). */
  allTags: string[];
}

/** Ansible's tag selection: does an item with these (inherited) tags run under --tags/--skip-tags? */
export function tagsSelected(tags: string[], only: string[] = [], skip: string[] = []): boolean {
  const onlyTags = only.length ? only : ['all'];
  const set = new Set(tags.length ? tags : ['untagged']);
  const untagged = tags.length === 0;
  const meets = (list: string[]) => list.some((t) => set.has(t));
  let run: boolean;
  if (set.has('always')) run = true;
  else if (onlyTags.includes('all') && !set.has('never')) run = true;
  else if (meets(onlyTags)) run = true;
  else run = onlyTags.includes('tagged') && !untagged && !set.has('never');
  if (run && skip.length) {
    if (skip.includes('all')) {
      if (!set.has('always') || skip.includes('always')) run = false;
    } else if (meets(skip)) {
      run = false;
    } else if (skip.includes('tagged') && !untagged) {
      run = false;
    }
  }
  return run;
}

function renderText(opts: ListOptions, text: string, vars: Record<string, unknown>): unknown {
  if (!opts.render || !/\{\{|\{%/.test(text)) return text;
  return opts.render(text, vars);
}

function renderTags(opts: ListOptions, tags: string[], vars: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const v = renderText(opts, tag, vars);
    if (Array.isArray(v)) out.push(...v.map(String));
    else out.push(String(v));
  }
  return out;
}

function hostsText(opts: ListOptions, play: Play, vars: Record<string, unknown>): string {
  const raw = typeof play.hosts === 'string' ? renderText(opts, play.hosts, vars) : play.hosts;
  if (Array.isArray(raw)) return raw.map((h) => String(renderText(opts, String(h), vars))).join(',');
  return raw === null || raw === undefined ? '' : String(raw);
}

function taskLabel(task: Task): string {
  if (task.name) return task.origin.role ? `${roleDisplayName(task.origin.role)} : ${task.name}` : task.name;
  return task.rawAction ?? task.action;
}

function collect(
  items: Item[],
  inherited: string[],
  out: ListedTask[],
  play: { tags: string[]; rawTags: string[]; vars: Record<string, unknown> },
  opts: ListOptions,
): void {
  for (const item of items) {
    const own = renderTags(opts, item.tags ?? [], play.vars);
    const tags = [...new Set([...inherited, ...own])];
    if (item.kind === 'block') {
      // ansible-playbook lists only the main part of blocks, not rescue/always; and a role
      // every time it occurs, also where it does not run again (role dependency shared by
      // two roles)
      collect(item.listedDuplicate ? [item.listedDuplicate] : item.block, tags, out, play, opts);
      continue;
    }
    const all = [...new Set([...play.tags, ...tags])];
    if (!tagsSelected(all, opts.tags, opts.skipTags)) continue;
    const shown = [...new Set([...play.rawTags, ...all])].sort();
    out.push({ name: taskLabel(item), tags: shown, task: item });
  }
}

/** The plays and tasks `ansible-playbook --list-tasks` would show. */
export function listTasks(pb: Playbook, opts: ListOptions = {}): ListedPlay[] {
  return pb.plays.map((play, i) => {
    const vars = play.vars ?? {};
    const hosts = hostsText(opts, play, vars);
    const name = play.name ? String(renderText(opts, play.name, vars)) : hosts;
    const playTags = play.tags ?? [];
    const evalTags = renderTags(opts, playTags, vars);
    const tasks: ListedTask[] = [];
    for (const section of [play.pre_tasks, play.roles, play.tasks, play.post_tasks]) {
      collect(section, [], tasks, { tags: evalTags, rawTags: playTags, vars }, opts);
    }
    const allTags = [...new Set([...playTags, ...tasks.flatMap((t) => t.tags)])].sort();
    return { index: i + 1, hosts, name, tags: [...playTags], tasks, allTags };
  });
}

/** Same data as listTasks; `allTags` is what --list-tags prints. */
export function listTags(pb: Playbook, opts: ListOptions = {}): ListedPlay[] {
  return listTasks(pb, opts);
}

function header(pb: Playbook, opts: ListOptions): string {
  return `\nplaybook: ${opts.displayPath ?? relative(process.cwd(), pb.file)}\n`;
}

function playLine(p: ListedPlay): string {
  return `\n  play #${p.index} (${p.hosts}): ${p.name}\tTAGS: [${p.tags.join(',')}]\n`;
}

/** Text of `ansible-playbook --list-tasks`. */
export function formatListTasks(pb: Playbook, opts: ListOptions = {}): string {
  let out = header(pb, opts);
  for (const p of listTasks(pb, opts)) {
    out += playLine(p) + '    tasks:\n';
    for (const t of p.tasks) out += `      ${t.name}\tTAGS: [${t.tags.join(', ')}]\n`;
  }
  return out;
}

/** Text of `ansible-playbook --list-tags`. */
export function formatListTags(pb: Playbook, opts: ListOptions = {}): string {
  let out = header(pb, opts);
  for (const p of listTags(pb, opts)) {
    out += playLine(p) + `      TASK TAGS: [${p.allTags.join(', ')}]\n`;
  }
  return out;
}

/**
 * Text of `ansible-playbook --list-hosts`: each play's header, its pattern as Python prints the
 * play's `hosts` list, and the hosts `hostsOf` resolves for it (after --limit).
 */
export function formatListHosts(pb: Playbook, hostsOf: (play: Play) => string[], opts: ListOptions = {}): string {
  let out = header(pb, opts);
  const listed = listTasks(pb, opts);
  pb.plays.forEach((play, i) => {
    const p = listed[i];
    const pattern = Array.isArray(play.hosts)
      ? play.hosts.map((h) => String(renderText(opts, String(h), play.vars ?? {})))
      : p.hosts === '' ? [] : [p.hosts];
    const hosts = hostsOf(play);
    out += `\n  play #${p.index} (${p.hosts}): ${p.name}\tTAGS: [${p.tags.join(',')}]\n    pattern: ${pyRepr(pattern)}\n    hosts (${hosts.length}):\n`;
    out += hosts.map((h) => `      ${h}\n`).join('');
  });
  return out;
}

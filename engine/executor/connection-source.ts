// Which variables and keywords decide a task's connection. ansible-core resolves the connection
// per task (PlayContext.set_task_and_variable_override): the `connection`, `remote_user` and
// `port` keywords of the task, its blocks and play, overridden by the connection variables
// (ansible_connection, ansible_host, ansible_user, ansible_port, ...) from the task's whole
// variable set: play vars, vars_files, include_vars and set_fact included. A delegated task
// connects with the delegate's variables instead.
import type { ConnectionSource, TaskInvocation, TemplateEngine } from './types.js';
import type { VarScope } from '../vars/scope.js';

export function connectionSource(inv: TaskInvocation, scope: VarScope, templar: TemplateEngine, delegatedTo: string | undefined): ConnectionSource {
  const where = { file: inv.task.origin.pos.file, line: inv.task.origin.pos.line, what: `task '${inv.task.name ?? inv.task.action}'` };
  const kw = (name: string): unknown => {
    const v = inv.keyword(name);
    return v === undefined || v === null ? undefined : templar.render(v, scope, where);
  };
  const connection = kw('connection');
  const remoteUser = kw('remote_user');
  const port = kw('port');
  const keywords: ConnectionSource['keywords'] = {
    connection: connection === undefined || connection === '' ? undefined : String(connection),
    remoteUser: remoteUser === undefined || remoteUser === '' ? undefined : String(remoteUser),
    port: port === undefined || port === '' ? undefined : Number(port),
  };
  // a delegate connects with its own variables (Ansible's ansible_delegated_vars) and the task's keywords
  // the variables as set, not the connection settings mirrored into them for templates
  const unmirrored = (s: VarScope) => ({ get: (n: string) => s.getUnmirrored(n) });
  if (delegatedTo === undefined) return { vars: unmirrored(scope), keywords };
  const delegateScope = inv.scopeOn?.(delegatedTo);
  return { vars: delegateScope && unmirrored(delegateScope), keywords };
}

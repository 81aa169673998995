// Handler lookup by notify name: first handler with the name (role-prefixed too), plus listeners.
import { describe, expect, it } from 'vitest';
import { handlersFor } from '../../engine/scheduler/notify.js';
import type { Task } from '../../engine/playbook/types.js';

function handler(id: number, name: string, listen: string[] = [], role?: string): Task {
  return {
    kind: 'task', id, name, action: 'debug', args: {}, listen: [name, ...listen],
    origin: { pos: { file: 'x.yml' }, baseDir: '.', role: role ? { name: role, path: `/roles/${role}` } : undefined },
  } as unknown as Task;
}

describe('handlersFor', () => {
  const a1 = handler(1, 'restart', [], 'base');
  const a2 = handler(2, 'restart', [], 'base');
  const l = handler(3, 'reload', ['restart services']);
  const all = [a1, a2, l];
  it('picks only the first handler with the name', () => {
    expect(handlersFor(all, 'restart').map((h) => h.id)).toEqual([1]);
    expect(handlersFor(all, 'base : restart').map((h) => h.id)).toEqual([1]);
  });
  it('fans out to every listener of a topic', () => {
    expect(handlersFor([...all, handler(4, 'other', ['restart services'])], 'restart services').map((h) => h.id)).toEqual([3, 4]);
  });
  it('finds nothing for an unknown name', () => {
    expect(handlersFor(all, 'nope')).toEqual([]);
  });
});

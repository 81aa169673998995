# drover's controller-side Python plugin worker: one process per run, started on the first filter,
# test or lookup name drover has no native implementation for. It loads plugins with ansible-core's
# own plugin loaders (so legacy *_plugins/ folders, ansible.cfg paths, collections and ansible-core's
# plugins resolve as they do under ansible-playbook) and answers JSON lines on stdin/stdout:
#   {"op": "dirs", "dirs": {"filter": [...], ...}}          add_all_plugin_dirs' folders, in order
#   {"op": "has", "kind": "filter", "name": "x"}            -> {"found": bool, "path": ...}
#   {"op": "call", "kind": ..., "name": ..., "args": [...], "kwargs": {...}}  -> {"value": ...}
#   {"op": "action", "name": ..., "path": ..., "args": {...}}  a custom action plugin's run() -> {"value": result}
#     (its module runs, commands and file transfers are asked of drover: action_bridge.py)
#   {"op": "conn_open" | "conn_exec" | ...}  a Python connection plugin as a host's transport (connection_bridge.py)
# While a lookup runs it may ask drover for variables: {"ask": "var", "name": "x"} / {"ask": "names"}.
# Values cross as JSON with ansible's markers: {"__ansible_unsafe": text} keeps text unsafe both
# ways; {"__drover_undefined": hint} becomes an AnsibleUndefined.
import collections
import collections.abc
import json
import os
import sys
import traceback

# Plugins written for Python 2 / ansible 2.4 import these from `collections` (gone since 3.10).
for _n in ('Mapping', 'MutableMapping', 'Sequence', 'MutableSequence', 'Iterable', 'Iterator', 'Set',
           'MutableSet', 'Callable', 'Hashable', 'Container', 'Sized', 'KeysView', 'ItemsView',
           'ValuesView', 'MappingView', 'Generator', 'Awaitable', 'Coroutine', 'AsyncIterable',
           'AsyncIterator', 'ByteString', 'Reversible'):
    if not hasattr(collections, _n) and hasattr(collections.abc, _n):
        setattr(collections, _n, getattr(collections.abc, _n))

PROTO = sys.stdout
# a plugin that prints must not corrupt the protocol: its output goes to stderr
sys.stdout = sys.stderr


def send(obj):
    PROTO.write(json.dumps(obj, default=str) + '\n')
    PROTO.flush()


def receive():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


try:
    from ansible.errors import AnsibleError, AnsibleUndefinedVariable
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import filter_loader, lookup_loader, test_loader
    from ansible.template import Templar
    from ansible.template.native_helpers import AnsibleUndefined
    from ansible.utils.display import Display
    from ansible.utils.unsafe_proxy import AnsibleUnsafe, AnsibleUnsafeText
except ImportError as e:  # drover runs without ansible-core; Python plugins then cannot
    send({'fatal': 'Python plugins need ansible-core on the controller (apt-get install ansible-core): %s' % e})
    sys.exit(0)

# some 2.4-era plugins do `from __main__ import display`
display = Display()
LOADERS = {'filter': filter_loader, 'test': test_loader, 'lookup': lookup_loader}
DATALOADER = DataLoader()


def decode_hook(d):
    if len(d) == 1:
        if '__ansible_unsafe' in d:
            return AnsibleUnsafeText(d['__ansible_unsafe'])
        if '__drover_undefined' in d:
            return AnsibleUndefined(hint=d['__drover_undefined'])
    return d


def decode(s):
    return json.loads(s, object_hook=decode_hook) if isinstance(s, str) else s


def encode(v, depth=0):
    """A plugin's result as JSON data; unsafe text keeps its marker, tuples and sets become lists."""
    if depth > 200:
        raise ValueError('value nested too deeply to return to drover')
    if isinstance(v, AnsibleUnsafe) and isinstance(v, (str, bytes)):
        return {'__ansible_unsafe': v.decode('utf-8', 'surrogateescape') if isinstance(v, bytes) else str(v)}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, bytes):
        return v.decode('utf-8', 'surrogateescape')
    if isinstance(v, collections.abc.Mapping):
        return {str(k) if not isinstance(k, str) else k: encode(x, depth + 1) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)) or isinstance(v, collections.abc.Iterator):
        return [encode(x, depth + 1) for x in v]
    return str(v)


class DroverVars(collections.abc.Mapping):
    """The task's variables, asked from drover one name at a time (lookups' `variables`)."""

    def __init__(self):
        self._cache = {}

    def _get(self, name):
        if name not in self._cache:
            send({'ask': 'var', 'name': name})
            reply = receive()
            self._cache[name] = (reply.get('defined', False), decode(reply.get('value')))
        return self._cache[name]

    def __getitem__(self, name):
        defined, value = self._get(name)
        if not defined:
            raise KeyError(name)
        return value

    def __contains__(self, name):
        return isinstance(name, str) and self._get(name)[0]

    def __iter__(self):
        send({'ask': 'names'})
        return iter(receive().get('names', []))

    def __len__(self):
        return len(list(iter(self)))


def find(kind, name):
    """ansible-core's loader for the kind, and the plugin (with its path) or None."""
    loader = LOADERS[kind]
    if kind == 'lookup':
        res = loader.get_with_context(name, loader=DATALOADER, templar=Templar(loader=DATALOADER))
        return res.object, res.plugin_load_context.plugin_resolved_path if res.object else None
    try:
        plugin = loader.get(name)
    except Exception:  # an invalid or unknown name: not a plugin (Jinja then reports it)
        return None, None
    if plugin is None:
        return None, None
    return plugin, getattr(plugin, '_original_path', None)


def call_jinja(plugin, args, kwargs):
    func = plugin.j2_function
    passing = getattr(func, 'jinja_pass_arg', None)
    if passing is not None:
        # filters decorated with pass_environment / pass_context get Ansible's environment
        env = Templar(loader=DATALOADER).environment
        first = env if passing.name == 'environment' else env if passing.name == 'eval_context' else None
        if passing.name == 'context':
            first = env.from_string('').new_context({})
        elif passing.name == 'eval_context':
            from jinja2.nodes import EvalContext
            first = EvalContext(env)
        return func(first, *args, **kwargs)
    return func(*args, **kwargs)


def call(req):
    kind, name = req['kind'], req['name']
    plugin, path = find(kind, name)
    if plugin is None:
        return {'error': "no %s plugin named '%s'" % (kind, name), 'type': 'KeyError'}
    args = decode(req.get('args', '[]'))
    kwargs = decode(req.get('kwargs', '{}'))
    try:
        if kind == 'lookup':
            variables = DroverVars()
            plugin._templar.available_variables = variables
            value = plugin.run(args, variables=variables, **kwargs)
        else:
            value = call_jinja(plugin, args, kwargs)
        return {'value': json.dumps(encode(value))}
    except AnsibleUndefinedVariable as e:
        return {'error': str(e), 'type': 'AnsibleUndefinedVariable', 'path': path}
    except Exception as e:  # the plugin's exception, reported with its class, text and file
        cls = type(e)
        qual = cls.__name__ if cls.__module__ == 'builtins' else '%s.%s' % (cls.__module__, cls.__name__)
        return {'error': str(e), 'type': qual, 'path': path, 'traceback': traceback.format_exc()}


def run_action(req):
    """A custom action plugin's run() with the task's args and variables; its host work is asked of drover."""
    import action_bridge
    from ansible.playbook.play_context import PlayContext
    from ansible.playbook.task import Task
    from ansible.plugins import loader as plugin_loader
    path, name = req['path'], req['name']
    channel = action_bridge.Channel(send, receive, encode, decode)
    action_bridge.install(channel)
    task = Task()
    # the task's action as Ansible has it: the module _execute_module runs by default
    task.action = req.get('task_action') or name
    task.args = decode(req.get('args', '{}'))
    task.check_mode = bool(req.get('check'))
    task.diff = bool(req.get('diff'))
    pc = PlayContext()
    pc.check_mode = task.check_mode
    pc.diff = task.diff
    pc.remote_addr = req.get('host')
    if req.get('shell_type'):
        pc.shell = req['shell_type']
    if req.get('executable'):
        pc.executable = req['executable']
    variables = DroverVars()
    templar = Templar(loader=DATALOADER, variables=variables)
    try:
        plugin_loader.action_loader.add_directory(os.path.dirname(path))
        for d in req.get('connection_dirs', []):
            plugin_loader.connection_loader.add_directory(d)
        connection = action_bridge.connection_for(req.get('connection'), pc, channel, plugin_loader.connection_loader)
        plugin = plugin_loader.action_loader.get(name, task=task, connection=connection, play_context=pc,
                                                 loader=DATALOADER, templar=templar, shared_loader_obj=plugin_loader)
        if plugin is None:
            return {'error': "no action plugin named '%s'" % name, 'type': 'KeyError', 'path': path}
        return {'value': json.dumps(encode(plugin.run(task_vars=variables)))}
    except Exception as e:
        cls = type(e)
        qual = cls.__name__ if cls.__module__ == 'builtins' else '%s.%s' % (cls.__module__, cls.__name__)
        return {'error': str(e), 'type': qual, 'path': path, 'traceback': traceback.format_exc()}


def main():
    send({'ready': True})
    while True:
        req = receive()
        op = req.get('op')
        try:
            if op == 'dirs':
                for kind, dirs in req['dirs'].items():
                    for d in dirs:
                        if kind in LOADERS:
                            LOADERS[kind].add_directory(d)
                send({'ok': True})
            elif op == 'has':
                plugin, path = find(req['kind'], req['name'])
                send({'found': plugin is not None, 'path': path})
            elif op == 'call':
                send(call(req))
            elif op == 'action':
                send(run_action(req))
            elif op.startswith('conn_'):
                import connection_bridge
                try:
                    send(connection_bridge.OPS[op](req))
                except Exception as e:  # the plugin's error, as the connection's failure
                    send({'error': str(e), 'type': type(e).__name__, 'traceback': traceback.format_exc()})
            else:
                send({'error': 'unknown request %r' % op, 'type': 'ValueError'})
        except Exception as e:
            send({'error': '%s: %s' % (type(e).__name__, e), 'type': type(e).__name__, 'traceback': traceback.format_exc()})


if __name__ == '__main__':
    main()

# The host side of a custom action plugin run in drover's Python worker (plugin_worker.py's
# "action" request). Ansible hands an action plugin a live connection and runs its modules itself;
# here both belong to drover, so the plugin's calls are asked of drover over the worker's channel
# while run() is in progress:
#   {"ask": "module", "name": ..., "args": json}             ActionBase._execute_module -> {"value": json}
#   {"ask": "exec", "cmd": ..., "in_data": ..., "sudoable": b}  connection.exec_command -> {"rc", "stdout", "stderr"}
#   {"ask": "put", "src": local, "dest": remote}             connection.put_file -> {} or {"error"}
#   {"ask": "fetch", "src": remote, "dest": local}           connection.fetch_file -> {} or {"error"}
# Everything else of ActionBase (_low_level_execute_command, _make_tmp_path, _remote_expand_user,
# _transfer_data, _fixup_perms2...) is ansible-core's own code working over that connection.
# A task whose ansible_connection names a Python connection plugin (not one of drover's transports)
# gets that plugin, loaded with ansible-core's connection loader.
import json

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase
from ansible.plugins.connection import ConnectionBase
from ansible.module_utils._text import to_bytes, to_text

# the connection plugins drover runs as its own transports (engine/scheduler/connections.ts)
DROVER_TRANSPORTS = ('local', 'ssh', 'smart', 'paramiko', 'paramiko_ssh')


class Channel(object):
    """The worker's send/receive and value codec, given by plugin_worker.py."""

    def __init__(self, send, receive, encode, decode):
        self.send, self.receive, self.encode, self.decode = send, receive, encode, decode

    def ask(self, question):
        self.send(question)
        reply = self.receive()
        if reply.get('error') is not None:
            raise AnsibleError(reply['error'])
        return reply


class DroverConnection(ConnectionBase):
    """The task's host connection, as drover holds it (its transport, become and environment)."""

    transport = 'drover'
    has_pipelining = False

    def __init__(self, play_context, channel, transport_name):
        self._channel = channel
        self.transport = transport_name
        super(DroverConnection, self).__init__(play_context, None)

    @property
    def connected(self):
        return True

    def _connect(self):
        self._connected = True
        return self

    def exec_command(self, cmd, in_data=None, sudoable=True):
        reply = self._channel.ask({'ask': 'exec', 'cmd': to_text(cmd, errors='surrogate_or_strict'),
                                   'in_data': None if in_data is None else to_text(in_data, errors='surrogate_or_strict'),
                                   'sudoable': bool(sudoable)})
        return reply.get('rc', 1), to_bytes(reply.get('stdout', ''), errors='surrogate_or_strict'), \
            to_bytes(reply.get('stderr', ''), errors='surrogate_or_strict')

    def put_file(self, in_path, out_path):
        self._channel.ask({'ask': 'put', 'src': to_text(in_path), 'dest': to_text(out_path)})

    def fetch_file(self, in_path, out_path):
        self._channel.ask({'ask': 'fetch', 'src': to_text(in_path), 'dest': to_text(out_path)})

    def close(self):
        self._connected = False


def _execute_module(self, module_name=None, module_args=None, tmp=None, task_vars=None, persist_files=False,
                    delete_remote_tmp=None, wrap_async=False):
    """ActionBase._execute_module: drover runs the module (native or over the module protocol) on the host."""
    channel = getattr(self, '_drover_channel', None)
    if channel is None:
        raise AnsibleError('this action plugin was not started by drover: it has no host to run %s on' % module_name)
    name = module_name or self._task.action
    args = self._task.args if module_args is None else module_args
    reply = channel.ask({'ask': 'module', 'name': name, 'args': json.dumps(channel.encode(args)),
                         'check': bool(self._task.check_mode), 'diff': bool(self._task.diff)})
    data = channel.decode(reply.get('value', '{}'))
    # what ActionBase._execute_module adds to every module result
    if 'stdout' in data and 'stdout_lines' not in data:
        data['stdout_lines'] = (data['stdout'] or '').splitlines()
    if 'stderr' in data and 'stderr_lines' not in data:
        data['stderr_lines'] = (data['stderr'] or '').splitlines()
    return data


def install(channel):
    """Route every action plugin's module runs to drover (nested actions, e.g. shell -> command, too)."""
    ActionBase._execute_module = _execute_module
    ActionBase._drover_channel = channel


def connection_for(name, play_context, channel, connection_loader):
    """The connection an action plugin gets: drover's transport, or the named Python connection plugin."""
    short = (name or 'ssh').replace('ansible.builtin.', '').replace('ansible.legacy.', '')
    if short in DROVER_TRANSPORTS:
        return DroverConnection(play_context, channel, short)
    conn = connection_loader.get(name, play_context, None)
    if conn is None:
        raise AnsibleError("the connection plugin '%s' was not found" % name)
    try:
        conn.set_options()
    except Exception:  # a plugin without documented options
        pass
    return conn

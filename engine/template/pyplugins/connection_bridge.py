# A Python connection plugin (a collection's plugins/connection/, a connection_plugins/ folder) as
# drover's transport for a host: one plugin instance per worker process, kept for the run, so a
# connection's state lives across tasks and loop items as it does under ansible-playbook. Become
# is applied as ActionBase._low_level_execute_command applies it: the become plugin is set on the
# connection and builds the command. plugin_worker.py routes these requests here:
#   {"op": "conn_open", "plugin": name, "host": ..., "remote_addr": ..., "remote_user": ..., "port": ..., "dirs": [...]}
#   {"op": "conn_exec", "cmd": ..., "in_data": b64|null, "become": {"method", "user", "password"}|null}
#       -> {"rc", "stdout": b64, "stderr": b64}
#   {"op": "conn_put", "dest": ..., "data": b64, "mode": ...}   {"op": "conn_fetch", "src": ...} -> {"data": b64}
#   {"op": "conn_close"}
import base64
import os
import tempfile

from ansible.errors import AnsibleError
from ansible.playbook.play_context import PlayContext
from ansible.plugins import loader as plugin_loader

STATE = {}


def _b64(data):
    return base64.b64encode(data if isinstance(data, bytes) else (data or '').encode('utf-8', 'surrogateescape')).decode('ascii')


def open_connection(req):
    for d in req.get('dirs', []):
        plugin_loader.connection_loader.add_directory(d)
    pc = PlayContext()
    pc.remote_addr = req.get('remote_addr') or req.get('host')
    if req.get('remote_user'):
        pc.remote_user = req['remote_user']
    if req.get('port'):
        pc.port = int(req['port'])
    if req.get('shell_type'):
        pc.shell = req['shell_type']
    conn = plugin_loader.connection_loader.get(req['plugin'], pc, None)
    if conn is None:
        raise AnsibleError("the connection plugin '%s' was not found" % req['plugin'])
    try:
        conn.set_options(var_options=req.get('vars') or {})
    except Exception:  # a plugin without documented options
        pass
    STATE['conn'] = conn
    STATE['pc'] = pc
    return {'ok': True, 'transport': getattr(conn, 'transport', req['plugin'])}


def _become(spec):
    """The become plugin for this command (None: without become), as TaskExecutor loads it."""
    if not spec:
        return None
    plugin = plugin_loader.become_loader.get(spec.get('method') or 'sudo')
    if plugin is None:
        raise AnsibleError("Invalid become method specified, could not find matching plugin: '%s'" % spec.get('method'))
    plugin.set_options(direct={'become_user': spec.get('user') or 'root', 'become_pass': spec.get('password')})
    return plugin


def exec_command(req):
    conn = STATE['conn']
    become = _become(req.get('become'))
    conn.set_become_plugin(become)
    cmd = req['cmd']
    if become is not None:
        cmd = become.build_become_command(cmd, conn._shell)
    in_data = base64.b64decode(req['in_data']) if req.get('in_data') is not None else None
    rc, stdout, stderr = conn.exec_command(cmd, in_data=in_data, sudoable=become is not None)
    return {'rc': rc, 'stdout': _b64(stdout), 'stderr': _b64(stderr)}


def put_file(req):
    fd, path = tempfile.mkstemp(prefix='drover-put-')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(base64.b64decode(req.get('data', '')))
        STATE['conn'].put_file(path, req['dest'])
    finally:
        os.unlink(path)
    return {'ok': True}


def fetch_file(req):
    fd, path = tempfile.mkstemp(prefix='drover-fetch-')
    os.close(fd)
    try:
        STATE['conn'].fetch_file(req['src'], path)
        with open(path, 'rb') as f:
            return {'data': _b64(f.read())}
    finally:
        os.unlink(path)


def close():
    conn = STATE.pop('conn', None)
    if conn is not None:
        conn.close()
    return {'ok': True}


OPS = {'conn_open': open_connection, 'conn_exec': exec_command, 'conn_put': put_file, 'conn_fetch': fetch_file,
       'conn_close': lambda req: close()}

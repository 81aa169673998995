// The Python side of the warm worker (engine/python/worker.ts): one process per host and
// interpreter, started over the host's ssh session, that imports ansible.module_utils.basic once
// and forks a child per module run (as mitogen's fork parent does), so a task costs a fork instead
// of an interpreter start and basic's imports. The child runs the same wrapper program the
// one-shot path feeds to the interpreter (wrapper.ts), so payload caching, _ansible_tmpdir and
// the module's exit behave alike. Written for Python 2.7 and 3.
//
// Protocol: one JSON object per line both ways. In: {"id", "op": "run", "src", "env", "tmp",
// "hash"} and {"id", "op": "kill"}. Out: {"ready": pid} once, then {"id", "rc", "out", "err"}
// (module stdout/stderr base64). EOF on stdin: the children are killed and the worker exits.

export const WORKER_SOURCE = String.raw`
import os, sys, json, select, signal, base64, errno, hashlib, fcntl
sys.path = [p for p in sys.path if p not in ('', '.')]
OUT = os.dup(1)
IN = os.dup(0)
nul = os.open(os.devnull, os.O_RDWR)
os.dup2(nul, 0)
os.dup2(nul, 1)
HOME = os.path.expanduser('~')
# SIGCHLD wakes the select loop through this pipe: a finished child is answered at once
WAKE_R, WAKE_W = os.pipe()
for _fd in (WAKE_R, WAKE_W):
    fcntl.fcntl(_fd, fcntl.F_SETFL, fcntl.fcntl(_fd, fcntl.F_GETFL) | os.O_NONBLOCK)
signal.signal(signal.SIGCHLD, lambda *a: None)
signal.set_wakeup_fd(WAKE_W)
preloaded = {}   # module name -> (path relative to its payload folder, sha1 of the file)
packages = []    # preloaded packages: their __path__ is pointed at the child's payload folder
checked = {}     # payload folder -> its files match the preloaded ones
state = {'tried': False}
children = {}    # pid -> request state

def send(obj):
    data = (json.dumps(obj) + '\n').encode('ascii')
    while data:
        n = os.write(OUT, data)
        data = data[n:]

def sha(path):
    f = open(path, 'rb')
    try:
        return hashlib.sha1(f.read()).hexdigest()
    finally:
        f.close()

def lib_of(req):
    base = os.path.expanduser(os.path.expandvars(req.get('tmp') or '~/.ansible/tmp'))
    return os.path.join(base, 'drover-payloads', req['hash'])

def preload(lib):
    # basic's import closure, taken from the first payload already on the host
    state['tried'] = True
    before = set(sys.modules)
    meta_path = list(sys.meta_path)
    sys.path.insert(0, lib)
    try:
        import ansible.module_utils.basic
    except Exception:
        for name in set(sys.modules) - before:
            sys.modules.pop(name, None)
        return
    finally:
        sys.path.remove(lib)
    # what a child that cannot use them drops: every ansible module the preload made (six.moves
    # too, which has no file) and the import hooks it added (six's)
    state['added'] = [n for n in set(sys.modules) - before if n == 'ansible' or n.startswith('ansible.')]
    state['meta_path'] = meta_path
    root = os.path.join(lib, '')
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, '__file__', None) or ''
        if not (name == 'ansible' or name.startswith('ansible.')) or not f.startswith(root):
            continue
        rel = f[len(root):]
        if rel.endswith('.pyc'):
            rel = rel[:-1]
        preloaded[name] = (rel, sha(os.path.join(lib, rel)))
        if hasattr(mod, '__path__'):
            packages.append((mod, os.path.dirname(rel)))
    checked[lib] = True

def matches(lib):
    if lib not in checked:
        ok = True
        for rel, digest in preloaded.values():
            p = os.path.join(lib, rel)
            if not os.path.isfile(p) or sha(p) != digest:
                ok = False
                break
        checked[lib] = ok
    return checked[lib]

def child(req, ow, ew, others):
    os.setsid()
    os.dup2(nul, 0)
    os.dup2(ow, 1)
    os.dup2(ew, 2)
    for fd in [IN, OUT, ow, ew] + others:
        try:
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.default_int_handler)
    code = 0
    try:
        try:
            os.chdir(HOME)
        except OSError:
            pass
        for k, v in req.get('env', {}).items():
            os.environ[k] = v
        lib = lib_of(req)
        if preloaded and os.path.isdir(lib) and matches(lib):
            for mod, rel in packages:
                mod.__path__ = [os.path.join(lib, rel)]
        elif preloaded:
            for name in state['added']:
                sys.modules.pop(name, None)
            sys.meta_path[:] = state['meta_path']
        if 'random' in sys.modules:
            sys.modules['random'].seed()
        g = {'__name__': '__main__', '__builtins__': __builtins__}
        exec(compile(req['src'], '<ansiballz>', 'exec'), g)
    except SystemExit:
        e = sys.exc_info()[1]
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            sys.stderr.write('%s\n' % (e.code,))
            code = 1
    except BaseException:
        import traceback
        traceback.print_exc()
        code = 1
    try:
        import atexit
        atexit._run_exitfuncs()
    except Exception:
        pass
    for s in (sys.stdout, sys.stderr):
        try:
            s.flush()
        except Exception:
            pass
    os._exit(code & 255)

def start(req):
    lib = lib_of(req)
    if not state['tried'] and os.path.isdir(lib):
        preload(lib)
    orr, ow = os.pipe()
    err, ew = os.pipe()
    others = [WAKE_R, WAKE_W]
    for c in children.values():
        others += [fd for fd in (c['o'], c['e']) if fd is not None]
    pid = os.fork()
    if pid == 0:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.close(orr)
        os.close(err)
        child(req, ow, ew, others)
    os.close(ow)
    os.close(ew)
    for fd in (orr, err):
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
    children[pid] = {'id': req['id'], 'o': orr, 'e': err, 'out': [], 'err': [], 'status': None}

def drain(c, key, store):
    # what is in the pipe now; a background process that kept it open is not waited for
    while c[key] is not None:
        try:
            data = os.read(c[key], 65536)
        except OSError:
            e = sys.exc_info()[1]
            if e.args[0] in (errno.EAGAIN, errno.EWOULDBLOCK):
                return
            data = b''
        if not data:
            os.close(c[key])
            c[key] = None
            return
        c[store].append(data)

def finish(pid):
    c = children.pop(pid)
    for key, store in (('o', 'out'), ('e', 'err')):
        drain(c, key, store)
        if c[key] is not None:
            os.close(c[key])
    st = c['status']
    rc = os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st)
    send({'id': c['id'], 'rc': rc, 'out': base64.b64encode(b''.join(c['out'])).decode('ascii'), 'err': base64.b64encode(b''.join(c['err'])).decode('ascii')})

def reap():
    for pid in list(children):
        try:
            done, st = os.waitpid(pid, os.WNOHANG)
        except OSError:
            done, st = pid, 0
        if done:
            children[pid]['status'] = st
            finish(pid)

def kill_all():
    for pid in list(children):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass

def main():
    buf = b''
    send({'ready': os.getpid()})
    while True:
        fds = [IN, WAKE_R]
        for c in children.values():
            fds += [fd for fd in (c['o'], c['e']) if fd is not None]
        try:
            ready = select.select(fds, [], [])[0]
        except (select.error, OSError):
            e = sys.exc_info()[1]
            if e.args and e.args[0] == errno.EINTR:
                ready = []
            else:
                raise
        if WAKE_R in ready:
            try:
                os.read(WAKE_R, 512)
            except OSError:
                pass
        for c in list(children.values()):
            for key, store in (('o', 'out'), ('e', 'err')):
                if c[key] is not None and c[key] in ready:
                    drain(c, key, store)
        reap()
        if IN in ready:
            data = os.read(IN, 65536)
            if not data:
                kill_all()
                os._exit(0)
            buf += data
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                req = json.loads(line.decode('utf-8'))
                if req.get('op') == 'run':
                    start(req)
                elif req.get('op') == 'kill':
                    for pid, c in children.items():
                        if c['id'] == req['id']:
                            try:
                                os.killpg(pid, signal.SIGKILL)
                            except OSError:
                                pass

try:
    main()
except KeyboardInterrupt:
    kill_all()
`;

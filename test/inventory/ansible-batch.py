# Runs many ansible-inventory / ansible (ad-hoc) command lines for the differential tests.
# ansible-core is imported once and every command line runs in a fresh fork of that process,
# through the same CLI entry points as /usr/bin/ansible-inventory and /usr/bin/ansible, so each
# answer is computed live by ansible-core while costing ~50 ms instead of ~600 ms of start-up.
# stdin: {"jobs": [{"argv": [...], "cwd": "..."}], "parallel": N}; stdout: [{"rc", "stdout", "stderr"}].
import json
import os
import sys
import tempfile

os.environ.setdefault('ANSIBLE_NOCOLOR', '1')
os.environ.setdefault('ANSIBLE_FORCE_COLOR', '0')
os.environ.setdefault('ANSIBLE_DEPRECATION_WARNINGS', '0')
os.environ.setdefault('ANSIBLE_LOCALHOST_WARNING', '0')

from ansible.cli.adhoc import AdHocCLI  # noqa: E402
from ansible.cli.inventory import InventoryCLI  # noqa: E402

CLIS = {'ansible-inventory': InventoryCLI, 'ansible': AdHocCLI}


def run_child(job, out_path, err_path):
    out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(err, 2)
    code = 0
    try:
        os.chdir(job.get('cwd') or '.')
        argv = job['argv']
        CLIS[argv[0]].cli_executor(argv)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException as e:  # pragma: no cover - reported to the test
        sys.stderr.write('batch runner: %r\n' % (e,))
        code = 250
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main():
    req = json.load(sys.stdin)
    jobs = req['jobs']
    parallel = max(1, int(req.get('parallel', 2)))
    tmp = tempfile.mkdtemp(prefix='drover-ansible-batch-')
    results = [None] * len(jobs)
    running = {}
    nxt = 0
    while nxt < len(jobs) or running:
        while nxt < len(jobs) and len(running) < parallel:
            paths = (os.path.join(tmp, '%d.out' % nxt), os.path.join(tmp, '%d.err' % nxt))
            pid = os.fork()
            if pid == 0:
                run_child(jobs[nxt], *paths)
            running[pid] = (nxt, paths)
            nxt += 1
        pid, status = os.wait()
        if pid not in running:
            continue
        idx, (out_path, err_path) = running.pop(pid)
        with open(out_path, encoding='utf-8', errors='replace') as f:
            stdout = f.read()
        with open(err_path, encoding='utf-8', errors='replace') as f:
            stderr = f.read()
        os.unlink(out_path)
        os.unlink(err_path)
        results[idx] = {'rc': os.waitstatus_to_exitcode(status), 'stdout': stdout, 'stderr': stderr}
    os.rmdir(tmp)
    json.dump(results, sys.stdout)


if __name__ == '__main__':
    main()

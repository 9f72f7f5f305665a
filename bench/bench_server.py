"""Server benchmark: redis-benchmark against the lab RESP server and a real redis-server,
in the same run, unpipelined (50 clients) and pipelined (-P 16).

    python bench/bench_server.py [-n 100000] [--tests set,get,incr,lpush] [--json out.json]

Both servers run as separate processes bound to 127.0.0.1 (the lab one via
``python -m lab serve``), are started on free ports and stopped by their own pid. The
report prints requests/s per test and the lab/real ratio, measured in this run (targets
from the issue: >= 50% of the real server unpipelined, >= 30% with -P 16).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ping(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(10) == b"+PONG\r\n":
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} did not answer PING")


def start_real(port: int, workdir: str) -> subprocess.Popen:
    binary = os.environ.get("LAB_REDIS_SERVER") or shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found")
    return subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", workdir, "--daemonize", "no",
                             "--logfile", os.path.join(workdir, "redis.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_lab(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lab", "serve", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


_LINE = re.compile(r"^([A-Z_]+)(?: \([^)]*\))?: ([0-9.]+) requests per second", re.M)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc/<pid>/stat``)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_benchmark(port: int, pid: int, tests: str, n: int, pipeline: int,
                  clients: int) -> dict[str, tuple[float, float]]:
    """Per test: (requests/s, server CPU microseconds per request). The CPU figure is
    much less sensitive than requests/s to other load on the machine."""
    res = {}
    for test in tests.split(","):
        cmd = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-t", test, "-n",
               str(n), "-c", str(clients), "-q"]
        if pipeline > 1:
            cmd += ["-P", str(pipeline)]
        cpu0 = cpu_seconds(pid)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800,
                             check=True).stdout
        cpu = cpu_seconds(pid) - cpu0
        # -q prints progress lines ending in \r before each final line
        out = out.replace("\r", "\n")
        for m in _LINE.finditer(out):
            res[m.group(1)] = (float(m.group(2)), cpu * 1e6 / n)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100000, help="requests per test")
    ap.add_argument("--tests", default="set,get,incr,lpush")
    ap.add_argument("-c", "--clients", type=int, default=50)
    ap.add_argument("--json", default=None, help="write the figures here")
    args = ap.parse_args(argv)
    if shutil.which("redis-benchmark") is None:
        raise SystemExit("redis-benchmark not found (Debian: redis-tools)")
    workdir = tempfile.mkdtemp(prefix="lab-bench-")
    real_port, lab_port = free_port(), free_port()
    real, labp = start_real(real_port, workdir), start_lab(lab_port)
    results: dict = {}
    try:
        wait_ping(real_port, real)
        wait_ping(lab_port, labp)
        for pipeline in (1, 16):
            label = "unpipelined" if pipeline == 1 else f"-P {pipeline}"
            results[label] = {}
            for name, port, pid in (("redis", real_port, real.pid),
                                    ("lab", lab_port, labp.pid)):
                results[label][name] = run_benchmark(port, pid, args.tests, args.n, pipeline,
                                                     args.clients)
    finally:
        stop(labp)
        stop(real)
        shutil.rmtree(workdir, ignore_errors=True)
    targets = {"unpipelined": 0.50, "-P 16": 0.30}
    print(f"redis-benchmark -n {args.n} -c {args.clients} -t {args.tests}  (requests/s)")
    print("  (cpu = server CPU microseconds per request, user+sys)")
    print(f"{'mode':<12} {'test':<8} {'redis-server':>14} {'lab':>12} {'ratio':>7}  "
          f"{'target':<12} {'cpu redis':>9} {'cpu lab':>8}")
    for label, by_server in results.items():
        for test, (real_rps, real_cpu) in by_server["redis"].items():
            lab_rps, lab_cpu = by_server["lab"].get(test, (0.0, 0.0))
            ratio = lab_rps / real_rps if real_rps else 0.0
            ok = "ok" if ratio >= targets[label] else "below"
            print(f"{label:<12} {test:<8} {real_rps:>14,.0f} {lab_rps:>12,.0f} {ratio:>6.0%}  "
                  f">= {targets[label]:.0%} {ok:<5} {real_cpu:>9.2f} {lab_cpu:>8.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

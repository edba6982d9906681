#!/usr/bin/env python3
"""Redis CPU of N nodes' worth of calls at a steady rate, without Java in the way.

The scale simulator measures clusterix end to end; this measures only what Redis spends, at the rate N nodes make
at the default intervals (2 calls per node per second), for two scripts: EVALSHA of a trivial script ('return 1',
the floor of "one round trip per heartbeat") and EVALSHA of clusterix.lua's tick (a heartbeat with the poll folded
in, as the engine sends it), in a cluster of N live members. The calls are spread evenly over 8 connections, one in
flight on each, like the simulator's K = 8. Redis CPU comes from INFO (used_cpu_user + used_cpu_sys).

Usage: clusterix-bench/scripts/paced-cost.py [N=1000] [seconds=30]
The server is CLUSTERIX_REDIS_SERVER if set, else the embedded Redis 6.2 that clusterix-tck extracts to the temporary
directory (run the simulator or the tests once first); it gets a free loopback port and is killed at the end.
"""
import glob
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
LUA = os.path.join(ROOT, "clusterix-api", "src", "main", "resources", "io", "clusterix", "internal", "clusterix.lua")
KEYS = ["{bench}:heartbeats", "{bench}:owners", "{bench}:incarnations", "{bench}:claims", "{bench}:claim-info",
        "{bench}:clock"]
TIMEOUT = "3600000"  # members stay live: a poll finds nothing to claim


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile("rb")

    def call(self, *args):
        self.sock.sendall(encode(*args))
        return self.read()

    def read(self):
        line = self.file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            return [self.read() for _ in range(int(rest))]
        raise RuntimeError("unexpected reply %r" % line)


def cpu(conn):
    info = dict(l.split(":", 1) for l in conn.call("INFO", "cpu").splitlines() if ":" in l)
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def paced(conns, rate, seconds, command):
    """Sends `rate` calls per second, round-robin over the connections, for `seconds`; returns calls made."""
    interval = 1.0 / rate
    start = time.perf_counter()
    calls = 0
    while True:
        due = start + calls * interval
        now = time.perf_counter()
        if now - start >= seconds:
            return calls
        if due > now:
            time.sleep(due - now)
        conns[calls % len(conns)].call(*command)
        calls += 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    server = os.environ.get("CLUSTERIX_REDIS_SERVER") or next(iter(sorted(glob.glob(
        os.path.join(tempfile.gettempdir(), "clusterix-redis-server-6.2*")))), None)
    if not server:
        sys.exit("No redis-server: set CLUSTERIX_REDIS_SERVER, or run the simulator once")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    workdir = tempfile.mkdtemp()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", workdir, "--loglevel", "warning"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                admin = Conn(port)
                break
            except OSError:
                time.sleep(0.05)
        version = [l for l in admin.call("INFO", "server").splitlines() if l.startswith("redis_version:")][0]
        sha = admin.call("SCRIPT", "LOAD", open(LUA).read())
        trivial = admin.call("SCRIPT", "LOAD", "return 1")
        for i in range(n):
            admin.call("EVALSHA", sha, "6", *KEYS, "join", "member-%05d" % i, TIMEOUT)
        incarnation = admin.call("HGET", KEYS[1], "member-00000")
        epoch = admin.call("HGET", KEYS[5], "epoch")
        conns = [Conn(port) for _ in range(8)]
        rate = 2 * n
        print("%s, %d live members, %d calls/s (2 per node per second) for %.0f s on 8 connections" % (
            version, n, rate, seconds))
        tick = ["EVALSHA", sha, "6", *KEYS, "tick", "member-00000", incarnation, epoch, TIMEOUT, "100", "", ""]
        idle0 = cpu(admin)
        time.sleep(5)
        idle = (cpu(admin) - idle0) / 5 * 100
        print("  %-50s Redis CPU %5.1f%%" % ("idle", idle))
        for label, command in (("EVALSHA 'return 1'", ["EVALSHA", trivial, "0"]),
                               ("EVALSHA clusterix.lua tick (heartbeat + poll)", tick)):
            c0, t0 = cpu(admin), time.perf_counter()
            calls = paced(conns, rate, seconds, command)
            c1, t1 = cpu(admin), time.perf_counter()
            print("  %-50s Redis CPU %5.1f%%  (%.0f calls/s, %.1f µs of Redis CPU per call)" % (
                label, (c1 - c0) / (t1 - t0) * 100, calls / (t1 - t0), (c1 - c0) / calls * 1e6))
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    main()

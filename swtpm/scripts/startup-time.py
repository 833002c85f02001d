#!/usr/bin/env python3
"""Start-up time of a swtpm binary launched with libvirt's argv (docs/performance.md).

For each run: exec the binary with
  socket --ctrl type=unixio,path=S,mode=0600 --tpmstate dir=D,mode=0600
         --log file=L,level=20 --terminate --tpm2
then measure (a) exec -> control socket path exists (what libvirt waits for, about 1 s),
(b) exec -> first control command (GET_CAPABILITY) answered, and the process's RSS at that
moment and the CPU time (user + system) it had used; then CMD_SHUTDOWN and wait for the exit.

usage: startup-time.py [--runs N] BINARY [BINARY ...]
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(binary):
    with tempfile.TemporaryDirectory() as d:
        sock = os.path.join(d, "swtpm.sock")
        state = os.path.join(d, "tpm2")
        os.mkdir(state)
        argv = [binary, "socket", "--ctrl", f"type=unixio,path={sock},mode=0600",
                "--tpmstate", f"dir={state},mode=0600", "--log", f"file={d}/log,level=20",
                "--terminate", "--tpm2"]
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        while not os.path.exists(sock):
            if p.poll() is not None:
                raise RuntimeError(f"{binary} exited with {p.returncode}")
            time.sleep(0.0005)
        t_sock = time.perf_counter() - t0
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(sock)
                break
            except OSError:
                s.close()
                time.sleep(0.0005)
        s.sendall(bytes.fromhex("00000001"))
        caps = s.recv(8)
        t_cmd = time.perf_counter() - t0
        assert len(caps) == 8 and caps[:4] == b"\0\0\0\0", caps
        with open(f"/proc/{p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu_ms = (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
        rss_kib = 0
        with open(f"/proc/{p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss_kib = int(line.split()[1])
        s.sendall(bytes.fromhex("00000003"))
        s.recv(4)
        s.close()
        p.wait(timeout=30)
        return t_sock * 1000, t_cmd * 1000, cpu_ms, rss_kib / 1024


def main():
    args = sys.argv[1:]
    runs = 10
    if args[:1] == ["--runs"]:
        runs = int(args[1])
        args = args[2:]
    print("| binary | socket appears (ms) median [min-max] | first command answered (ms) median [min-max] "
          "| CPU time until then (ms) median | RSS (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for binary in args:
        one_run(binary)  # warm the page cache
        results = [one_run(binary) for _ in range(runs)]
        cols = []
        for i in range(2):
            v = [r[i] for r in results]
            cols.append(f"{statistics.median(v):.0f} [{min(v):.0f}-{max(v):.0f}]")
        cpu = statistics.median(r[2] for r in results)
        rss = statistics.median(r[3] for r in results)
        print(f"| `{binary}` | {cols[0]} | {cols[1]} | {cpu:.0f} | {rss:.0f} |")


if __name__ == "__main__":
    main()

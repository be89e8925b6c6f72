#!/usr/bin/env python3
"""Benchmarks of the real netassist app (release build, under Xvfb), against
socat on the same machine in the same run. Issue 6's targets:

  P1  TCP server, live text view: one client floods N MiB of CRLF text.
      Drain rate vs socat's, peak RSS, frame p99 / max while it runs.
  P2  UDP: 64-byte datagrams at a target rate for some seconds; datagrams
      the app counted vs sent, and the kernel's drops (/proc/net/snmp).
  P3  TCP server: N concurrent clients (from this process, so the app's own
      file descriptors are one per client); time until the app lists them all.
  P5  Start-up to first frame; idle CPU and RSS (nothing connected).
  P7  TCP server: an accept storm, N clients connecting at once (non-blocking
      connects issued back to back), against a bare Python asyncio accept
      loop (same backlog) in the same run, alternating: time until every
      client is connected and the server's accept queue is empty (it took
      them all), and, for the app, until its window lists them all.
  P6  Two tabs: tab A a TCP server flooded with N MiB (as P1), tab B a TCP
      server whose client sends a line every 100 ms. B's lines must all be
      shown (none let pass for A's flood) within a frame or two of arriving,
      and A must drain within 10 % of the one-tab rate (P1, same run).
  BIN TCP server, binary data (issue 18): random bytes against CRLF text in
      the same run, in each view mode (Text, Hex, Text+Hex; GBK): paced at
      --rate-mib MiB/s for --seconds, then unpaced (--mib MiB, as P1). Frame
      mean / p99 / max while it runs, peak RSS (VmHWM), and at the end the
      RSS split: anonymous memory, file-backed (the binary and libraries),
      and of that the software GL driver's (llvmpipe's libLLVM and
      swrast_dri under Xvfb; a hardware driver maps its own instead);
      targets p99 <= 16 ms and peak RSS <= 150 MB for any bytes.

Usage (after `cargo build --release`):
  python3 tools/bench_app.py p1 [--mib 256]
  python3 tools/bench_app.py p2 [--rate 200000 --seconds 5]
  python3 tools/bench_app.py p3 [--clients 10000]
  python3 tools/bench_app.py p5
  python3 tools/bench_app.py p6 [--mib 256]
  python3 tools/bench_app.py p7 [--clients 1000 --rounds 5]
  python3 tools/bench_app.py binary [--rate-mib 5 --seconds 10 --mib 200 --views text,hex,text-hex
                                     --flood-clients 3]
  python3 tools/bench_app.py all

Needs Xvfb and socat (apt-get install xvfb socat). Only 127.0.0.1 is used.
The app reports its own counters and frame times through --stats-file.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.environ.get("NETASSIST_BIN") or os.path.join(ROOT, "target", "release", "netassist")
MIB = 1 << 20


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, cond, timeout=60.0, every=0.01):
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(every)


class Xvfb:
    def __enter__(self):
        self.display = f":{90 + os.getpid() % 100}"
        self.proc = subprocess.Popen(["Xvfb", self.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until("Xvfb", lambda: os.path.exists(f"/tmp/.X11-unix/X{self.display[1:]}"), timeout=10)
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()


class App:
    """The release app in its own config/data dirs, reporting through a stats file."""

    def __init__(self, xvfb, args, stats=True, profiles=None):
        self.dir = tempfile.mkdtemp(prefix="netassist-bench-")
        if profiles:
            os.makedirs(os.path.join(self.dir, "config"))
            with open(os.path.join(self.dir, "config", "profiles.ron"), "w") as f:
                f.write(profiles)
        self.stats = os.path.join(self.dir, "stats.txt")
        env = dict(os.environ, DISPLAY=xvfb.display, NETASSIST_CONFIG_DIR=os.path.join(self.dir, "config"),
                   NETASSIST_DATA_DIR=os.path.join(self.dir, "data"), XDG_RUNTIME_DIR=self.dir)
        env.pop("WAYLAND_DISPLAY", None)
        cmd = [APP] + args + (["--stats-file", self.stats] if stats else [])
        self.spawned = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def cpu_ticks(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def wait_idle(self, quiet=0.5, timeout=20.0):
        """Waits until the app uses under 25 % of a core over `quiet` seconds
        (with a stats file it repaints ten times a second: ~15 % in software GL)."""
        deadline = time.monotonic() + timeout
        ticks = quiet * os.sysconf("SC_CLK_TCK") * 0.25
        while time.monotonic() < deadline:
            before = self.cpu_ticks()
            time.sleep(quiet)
            if self.cpu_ticks() - before <= ticks:
                return
        sys.exit("the app never went idle")

    def wait_listening(self, port, idle=True):
        """Waits for the stats file, for the server to listen on `port` and
        for the probe connection to have left; then, with `idle`, until the
        app is idle (start-up's CPU would be timed as the bench's)."""
        wait_until("the app's stats", self.read_stats)
        wait_until("the server to listen", lambda: port_open(port))
        wait_until("the probe to leave", lambda: self.read_stats()["clients"] == 0)
        if idle:
            self.wait_idle()

    def read_stats(self):
        try:
            with open(self.stats) as f:
                line = f.read().strip()
        except FileNotFoundError:
            return None
        return {k: int(v) for k, v in (kv.split("=", 1) for kv in line.split())} if line else None

    def proc_status(self, key):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def cpu_ticks(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def mapped_rss(self, names):
        """Resident bytes of the files mapped from libraries whose names
        contain one of `names` (/proc/PID/smaps)."""
        total, counting = 0, False
        with open(f"/proc/{self.proc.pid}/smaps") as f:
            for line in f:
                head = line.split()
                if head and "-" in head[0] and len(head) >= 5:
                    counting = len(head) >= 6 and any(n in head[-1] for n in names)
                elif counting and line.startswith("Rss:"):
                    total += int(head[1]) * 1024
        return total

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def crlf_block():
    """1 MiB of CRLF-terminated text lines, like a device's log output."""
    lines, n = [], 0
    while sum(map(len, lines)) < MIB:
        lines.append(f"{n:08d} temp=21.{n % 10} hum=40 status=OK the quick brown fox jumps\r\n".encode())
        n += 1
    return b"".join(lines)[:MIB]


def random_block():
    """1 MiB of random bytes (binary data), the same every run."""
    import random
    return random.Random(18).randbytes(MIB)


def paced(port, rate_mib, seconds, block):
    """Connects and writes `block` in 64 KiB pieces at `rate_mib` MiB/s for
    `seconds`, then half-closes and waits for the reader to close. Returns
    the bytes written."""
    piece, sent, i = 64 << 10, 0, 0
    with socket.create_connection(("127.0.0.1", port)) as s:
        start = time.monotonic()
        while True:
            now = time.monotonic()
            if now - start >= seconds:
                break
            due = int((now - start) * rate_mib * MIB)
            while sent < due:
                off = (i * piece) % len(block)
                s.sendall(block[off:off + piece])
                sent += piece
                i += 1
            time.sleep(0.002)
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536):
            pass
    return sent


VIEW_MODES = {"text": "Text", "hex": "Hex", "text-hex": "TextHex"}


def binary_run(xvfb, view, block, rate_mib, seconds, mib, clients=1, files=False):
    """One app; one client paced at `rate_mib` (if given), or `clients`
    clients flooding `mib` MiB between them at once. With `files`, the
    session is logged (text log) and captured too, through a profile."""
    port = free_port()
    if files:
        profiles = ("(version: 1, profiles: ["
                    f'(name: "bin", protocol: TcpServer, bind_host: "127.0.0.1", listen_port: "{port}", '
                    f'charset: "GBK", view_mode: {VIEW_MODES[view]}, log_session: true, capture: true),'
                    "])")
        app = App(xvfb, ["--profile", "bin", "--connect"], profiles=profiles)
    else:
        app = App(xvfb, ["--mode", "tcp-server", "--bind", "127.0.0.1", "--local-port", str(port), "--charset", "gbk",
                         "--view", view, "--connect"])
    try:
        app.wait_listening(port)
        start = time.monotonic()
        if rate_mib:
            total = paced(port, rate_mib, seconds, block)
        elif clients == 1:
            total = mib * MIB
            flood(port, mib, block, wait_close=True)
        else:
            import threading
            share = max(1, mib // clients)
            total = share * clients * MIB
            threads = [threading.Thread(target=flood, args=(port, share, block, True)) for _ in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        done = time.monotonic()
        stats = wait_until("every byte to be counted", lambda: (s := app.read_stats()) and s["rx_bytes"] >= total and s,
                           timeout=600)
        peak = app.proc_status("VmHWM")
        anon, shared = app.proc_status("RssAnon"), app.proc_status("RssFile") + app.proc_status("RssShmem")
        gl = app.mapped_rss(("libLLVM", "swrast_dri", "libgallium"))
        captured = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(app.dir, "data"))
                       for f in fs if f.endswith(".nacap"))
    finally:
        app.close()
    return {"mib_s": total / MIB / (done - start), "frame_mean_ms": stats["frame_mean_us"] / 1e3,
            "frame_p99_ms": stats["frame_p99_us"] / 1e3, "frame_max_ms": stats["frame_max_ever_us"] / 1e3,
            "max_frame_drain_ms": stats.get("frame_max_drain_us", 0) / 1e3,
            "peak_rss_mb": peak / 1e6, "end_rss_anon_mb": anon / 1e6, "end_rss_file_mb": shared / 1e6,
            "end_rss_software_gl_mb": gl / 1e6,
            "font_atlas_mb": stats.get("font_atlas_width", 0) * stats.get("font_atlas_height", 0)
                             * stats.get("font_atlas_bytes_per_pixel", 4) / 1e6,
            "font_atlas_rows": stats.get("font_atlas_height", 0), "font_atlas_used_rows": stats.get("font_atlas_used_rows", 0),
            "elided_mib": stats.get("view_elided_bytes", 0) / MIB,
            "view_records": stats["view_records"], "view_mb": stats["view_bytes"] / 1e6,
            "captured_mib": captured / MIB}


def binary(xvfb, views, rate_mib, seconds, mib, clients, files=False):
    """Issue 18: random bytes against CRLF text, each view mode, paced and
    unpaced (with `clients` > 1, also unpaced from that many clients at once)."""
    payloads = [("random", random_block()), ("crlf", crlf_block())]
    cases = [(f"paced {rate_mib} MiB/s {seconds:g} s", rate_mib, 1), (f"unpaced {mib} MiB", None, 1)]
    if clients > 1:
        cases.append((f"unpaced {mib} MiB from {clients} clients", None, clients))
    for view in views:
        for how, rate, n in cases:
            for name, block in payloads:
                result = binary_run(xvfb, view, block, rate, seconds, mib, n, files)
                print("BIN", view, how + (" log+capture" if files else ""), name, {k: round(v, 1) for k, v in result.items()}, flush=True)


def flood(port, mib, block, wait_close=False):
    """Connects and writes `mib` MiB, then half-closes; with `wait_close`,
    waits for the reader to close too (it has read everything). Returns the
    start time and when writing (and waiting) ended."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * MIB)
        start = time.monotonic()
        for _ in range(mib):
            s.sendall(block)
        s.shutdown(socket.SHUT_WR)
        if wait_close:
            while s.recv(65536):
                pass
        return start, time.monotonic()


def socat_drain(mib, block):
    """socat reading the same flood into /dev/null: the practical limit."""
    port = free_port()
    proc = subprocess.Popen(["socat", "-u", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", "OPEN:/dev/null"])
    try:
        wait_until("socat to listen", lambda: port_open(port))
        start, end = flood(port, mib, block, wait_close=True)
    finally:
        proc.terminate()
        proc.wait()
    return mib / (end - start)


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def p1(xvfb, mib):
    block = crlf_block()
    port = free_port()
    app = App(xvfb, ["--mode", "tcp-server", "--bind", "127.0.0.1", "--local-port", str(port), "--connect"])
    try:
        app.wait_listening(port, idle=False)
        total = mib * MIB
        # The app closes its side once it has read the flood's FIN, after
        # every byte before it went through its event queue: timed like socat.
        start, done = flood(port, mib, block, wait_close=True)
        stats = wait_until("every byte to be counted", lambda: (s := app.read_stats()) and s["rx_bytes"] >= total and s,
                           timeout=600)
        app_rate = mib / (done - start)
        peak = app.proc_status("VmHWM")
    finally:
        app.close()
    socat_rate = socat_drain(mib, block)
    return {
        "mib": mib, "app_mib_s": app_rate, "socat_mib_s": socat_rate, "ratio": app_rate / socat_rate,
        "peak_rss_mb": peak / 1e6, "view_elided_mib": stats.get("view_elided_bytes", 0) / MIB,
        "frame_p99_ms": stats["frame_p99_us"] / 1e3, "frame_max_ms": stats["frame_max_ever_us"] / 1e3,
            "max_frame_drain_ms": stats.get("frame_max_drain_us", 0) / 1e3,
        "frames": stats["frames"], "view_records": stats["view_records"], "view_dropped": stats["view_dropped"],
    }


def udp_drops():
    with open("/proc/net/snmp") as f:
        rows = [line.split() for line in f if line.startswith("Udp:")]
    table = dict(zip(rows[0][1:], rows[1][1:]))
    return int(table["RcvbufErrors"]), int(table["InErrors"])


def listen_overflows():
    """The kernel's count of connections dropped because a listen queue was full."""
    with open("/proc/net/netstat") as f:
        rows = [line.split() for line in f if line.startswith("TcpExt:")]
    return int(dict(zip(rows[0][1:], rows[1][1:]))["ListenOverflows"])


def udp_blast(port, rate, seconds):
    """Sends 64-byte datagrams to 127.0.0.1:`port` at `rate` per second for
    `seconds`; returns how many were sent, the time it took, and the
    kernel's receive-buffer drops meanwhile."""
    before = udp_drops()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"x" * 64
    sent, start = 0, time.monotonic()
    target = ("127.0.0.1", port)
    while True:
        now = time.monotonic()
        if now - start >= seconds:
            break
        due = int((now - start) * rate)
        while sent < due:
            sock.sendto(payload, target)
            sent += 1
    elapsed = time.monotonic() - start
    after = udp_drops()
    sock.close()
    return sent, elapsed, after[0] - before[0]


def socat_udp(rate, seconds):
    """socat receiving the same datagrams into /dev/null: the kernel drops
    a reader that does nothing else still suffers on this machine."""
    port = free_port(socket.SOCK_DGRAM)
    proc = subprocess.Popen(["socat", "-u", f"UDP-RECV:{port},bind=127.0.0.1", "OPEN:/dev/null"])
    try:
        time.sleep(0.5)  # no readiness signal for a UDP receiver
        sent, _, drops = udp_blast(port, rate, seconds)
    finally:
        proc.terminate()
        proc.wait()
    return sent, drops


def p2(xvfb, rate, seconds):
    port = free_port(socket.SOCK_DGRAM)
    app = App(xvfb, ["--mode", "udp", "--bind", "127.0.0.1", "--local-port", str(port), "--connect"])
    try:
        wait_until("the app's stats", app.read_stats)
        time.sleep(0.5)  # the socket binds right after the first frame; there is no readiness signal for UDP
        sent, elapsed, drops = udp_blast(port, rate, seconds)
        # Wait until the count stops moving.
        last = -1
        while True:
            time.sleep(0.3)
            got = app.read_stats()["rx_packets"]
            if got == last:
                break
            last = got
        stats = app.read_stats()
    finally:
        app.close()
    socat_sent, socat_drops = socat_udp(rate, seconds)
    return {
        "target_rate": rate, "achieved_rate": sent / elapsed, "sent": sent, "app_counted": stats["rx_packets"],
        "kernel_rcvbuf_drops": drops, "app_drops": sent - stats["rx_packets"] - drops,
        "delivered_fraction": stats["rx_packets"] / sent,
        "socat_sent": socat_sent, "socat_kernel_drops": socat_drops,
        "socat_delivered_fraction": (socat_sent - socat_drops) / socat_sent,
        "frame_p99_ms": stats["frame_p99_us"] / 1e3, "frame_max_ms": stats["frame_max_ever_us"] / 1e3,
            "max_frame_drain_ms": stats.get("frame_max_drain_us", 0) / 1e3,
    }


def p3(xvfb, clients):
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    port = free_port()
    app = App(xvfb, ["--mode", "tcp-server", "--bind", "127.0.0.1", "--local-port", str(port),
                     "--max-clients", str(clients + 10), "--connect"])
    socks = []
    try:
        # Start-up (fonts, the software renderer compiling its shaders) takes
        # CPU for a second or so; on 2 cores it would be timed as accepting.
        app.wait_listening(port)
        overflows = listen_overflows()
        start = time.monotonic()
        for _ in range(clients):
            s = socket.socket()
            s.connect(("127.0.0.1", port))
            socks.append(s)
        connected = time.monotonic()
        overflows = listen_overflows() - overflows
        stats = wait_until("every client listed", lambda: (st := app.read_stats()) and st["clients"] >= clients and st,
                           timeout=120)
        listed = time.monotonic()
        # Everyone says hello; the app must count every byte.
        for s in socks:
            s.send(b"hello\r\n")
        stats = wait_until("every hello", lambda: (st := app.read_stats()) and st["rx_bytes"] >= 7 * clients and st,
                           timeout=120)
        served = time.monotonic()
        fds = len(os.listdir(f"/proc/{app.proc.pid}/fd"))
    finally:
        for s in socks:
            s.close()
        app.close()
    baseline = baseline_connects(clients)
    return {"clients": clients, "connect_s": connected - start, "all_listed_s": listed - start,
            "baseline_connect_s": baseline, "listen_overflows": overflows,
            "all_hellos_counted_s": served - listed, "app_fds": fds,
            "frame_p99_ms": stats["frame_p99_us"] / 1e3, "frame_max_ms": stats["frame_max_ever_us"] / 1e3}


NULL_SERVER = """
import socket, sys
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 0)); l.listen(4096)
print(l.getsockname()[1], flush=True)
held = []
while True:
    held.append(l.accept()[0])
"""


def baseline_connects(clients):
    """The same connect loop against a bare accept loop in another process:
    how long the client side alone takes on this machine."""
    proc = subprocess.Popen([sys.executable, "-c", NULL_SERVER], stdout=subprocess.PIPE, text=True)
    socks = []
    try:
        port = int(proc.stdout.readline())
        start = time.monotonic()
        for _ in range(clients):
            s = socket.socket()
            s.connect(("127.0.0.1", port))
            socks.append(s)
        return time.monotonic() - start
    finally:
        for s in socks:
            s.close()
        proc.kill()
        proc.wait()


ASYNCIO_SERVER = """
import asyncio
held = []
async def on_client(reader, writer):
    held.append(writer)
async def main():
    server = await asyncio.start_server(on_client, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


def accept_queue(port):
    """The listening socket on 127.0.0.1:`port`: connections waiting in its
    accept queue (rx_queue of its /proc/net/tcp row, state 0A), or None."""
    want = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            if fields[1] == want and fields[3] == "0A":
                return int(fields[4].split(":")[1], 16)
    return None


def storm(port, clients):
    """`clients` non-blocking connects to `port` issued back to back; returns
    (seconds until all connected, seconds until the accept queue is also
    empty, connect errors, the sockets)."""
    import selectors
    sel = selectors.DefaultSelector()
    socks = []
    start = time.monotonic()
    for _ in range(clients):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks.append(s)
        sel.register(s, selectors.EVENT_WRITE)
    pending, errors = len(socks), 0
    while pending:
        for key, _ in sel.select(timeout=30):
            sel.unregister(key.fileobj)
            pending -= 1
            if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                errors += 1
    connected = time.monotonic()
    while accept_queue(port):
        pass
    accepted = time.monotonic()
    sel.close()
    return connected - start, accepted - start, errors, socks


def p7(xvfb, clients, rounds):
    """Issue 18's accept storm: the app's TCP server against a bare asyncio
    accept loop, in turns, each round on a fresh server."""
    import resource
    import statistics
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    app_runs, ref_runs, listed_runs, frame_max = [], [], [], 0.0
    app_connected, ref_connected = [], []
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", ASYNCIO_SERVER], stdout=subprocess.PIPE, text=True)
        try:
            port = int(proc.stdout.readline())
            time.sleep(0.3)
            connected, accepted, errors, socks = storm(port, clients)
            ref_runs.append((accepted, errors))
            ref_connected.append(connected)
            for s in socks:
                s.close()
        finally:
            proc.kill()
            proc.wait()
        port = free_port()
        app = App(xvfb, ["--mode", "tcp-server", "--bind", "127.0.0.1", "--local-port", str(port),
                         "--max-clients", str(clients + 10), "--connect"])
        try:
            app.wait_listening(port)
            began = time.monotonic()
            connected, accepted, errors, socks = storm(port, clients)
            app_connected.append(connected)
            stats = wait_until("every client listed",
                               lambda: (st := app.read_stats()) and st["clients"] >= clients and st, timeout=120,
                               every=0.002)
            listed_runs.append(time.monotonic() - began)
            app_runs.append((accepted, errors))
            frame_max = max(frame_max, stats["frame_max_ever_us"] / 1e3)
            for s in socks:
                s.close()
        finally:
            app.close()
    app_med = statistics.median(a for a, _ in app_runs)
    ref_med = statistics.median(a for a, _ in ref_runs)
    return {"clients": clients, "rounds": rounds,
            "app_all_accepted_s": [round(a, 4) for a, _ in app_runs],
            "asyncio_all_accepted_s": [round(a, 4) for a, _ in ref_runs],
            "app_all_connected_s": [round(c, 4) for c in app_connected],
            "asyncio_all_connected_s": [round(c, 4) for c in ref_connected],
            "connect_errors": sum(e for _, e in app_runs + ref_runs),
            "median_ratio": app_med / ref_med,
            "app_all_listed_s": [round(t, 3) for t in listed_runs],
            "frame_max_ms": frame_max}


def p5(xvfb):
    app = App(xvfb, [])
    try:
        stats = wait_until("the first frame", lambda: (s := app.read_stats()) and s["first_frame_us"] and s)
        seen = time.monotonic() - app.spawned
    finally:
        app.close()
    idle = App(xvfb, [], stats=False)
    try:
        time.sleep(3)  # settle: fonts, first frames
        ticks0, t0 = idle.cpu_ticks(), time.monotonic()
        time.sleep(10)
        ticks1, t1 = idle.cpu_ticks(), time.monotonic()
        cpu = (ticks1 - ticks0) / os.sysconf("SC_CLK_TCK") / (t1 - t0) * 100
        rss = idle.proc_status("VmRSS")
    finally:
        idle.close()
    return {"first_frame_ms_in_app": stats["first_frame_us"] / 1e3, "stats_seen_after_spawn_ms": seen * 1e3,
            "idle_cpu_percent": cpu, "idle_rss_mb": rss / 1e6}


def p6(xvfb, mib):
    """A flood in one tab beside a slow exchange in another (issue 13's fairness target)."""
    block = crlf_block()
    flood_port, talk_port = free_port(), free_port()
    profiles = ("(version: 1, profiles: ["
                f'(name: "flood", protocol: TcpServer, bind_host: "127.0.0.1", listen_port: "{flood_port}"),'
                f'(name: "talk", protocol: TcpServer, bind_host: "127.0.0.1", listen_port: "{talk_port}"),'
                "])")
    app = App(xvfb, ["--profile", "flood", "--profile", "talk", "--connect"], profiles=profiles)
    try:
        wait_until("the app's stats", app.read_stats)
        wait_until("both servers to listen", lambda: port_open(flood_port) and port_open(talk_port))
        total = mib * MIB
        talk = socket.create_connection(("127.0.0.1", talk_port))
        lines = []

        def talker(stop):
            n = 0
            while not stop.is_set():
                line = f"ping {n:05d}\r\n".encode()
                talk.sendall(line)
                lines.append(line)
                n += 1
                stop.wait(0.1)

        import threading
        stop = threading.Event()
        thread = threading.Thread(target=talker, args=(stop,), daemon=True)
        thread.start()
        time.sleep(0.5)
        start, done = flood(flood_port, mib, block, wait_close=True)
        stats = wait_until("every flood byte to be counted",
                           lambda: (s := app.read_stats()) and s["tab0_rx_bytes"] >= total and s, timeout=600)
        time.sleep(0.5)
        stop.set()
        thread.join()
        sent = sum(map(len, lines))
        stats = wait_until("every talk byte to be counted",
                           lambda: (s := app.read_stats()) and s["tab1_rx_bytes"] >= sent and s, timeout=30)
        talk.close()
        flood_rate = mib / (done - start)
    finally:
        app.close()
    return {
        "mib": mib, "flood_tab_mib_s": flood_rate, "talk_lines": len(lines), "talk_bytes": sent,
        "talk_bytes_counted": stats["tab1_rx_bytes"], "talk_elided_bytes": stats["tab1_elided_bytes"],
        "talk_lag_max_ms": stats["tab1_lag_max_us"] / 1e3, "flood_elided_mib": stats["tab0_elided_bytes"] / MIB,
        "frame_p99_ms": stats["frame_p99_us"] / 1e3, "frame_max_ms": stats["frame_max_ever_us"] / 1e3,
            "max_frame_drain_ms": stats.get("frame_max_drain_us", 0) / 1e3,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["p1", "p2", "p3", "p5", "p6", "p7", "binary", "all"])
    parser.add_argument("--clients", type=int, help="P3: 10,000; P7: 1,000")
    parser.add_argument("--mib", type=int, default=None, help="P1, P6: 256; binary: 200")
    parser.add_argument("--rate", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=None, help="P2: 5; binary: 10")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rate-mib", type=float, default=5.0, help="binary: paced rate in MiB/s")
    parser.add_argument("--views", default="text,hex,text-hex", help="binary: view modes, comma-separated")
    parser.add_argument("--log-capture", action="store_true", help="binary: with the text log and a capture on")
    parser.add_argument("--flood-clients", type=int, default=1, help="binary: also flood from this many clients at once")
    args = parser.parse_args()
    if not os.path.exists(APP):
        sys.exit(f"{APP} not found: run `cargo build --release` first")
    for tool in ["Xvfb", "socat"]:
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install xvfb socat")
    with Xvfb() as xvfb:
        if args.what in ("p1", "all"):
            print("P1", p1(xvfb, args.mib or 256), flush=True)
        if args.what in ("p2", "all"):
            print("P2", p2(xvfb, args.rate, args.seconds or 5.0), flush=True)
        if args.what in ("p3", "all"):
            print("P3", p3(xvfb, args.clients or 10_000), flush=True)
        if args.what in ("p5", "all"):
            print("P5", p5(xvfb), flush=True)
        if args.what == "p7":
            print("P7", p7(xvfb, args.clients or 1000, args.rounds), flush=True)
        if args.what == "p6":
            one = p1(xvfb, args.mib or 256)
            print("P1", one, flush=True)
            two = p6(xvfb, args.mib or 256)
            two["flood_rate_vs_one_tab"] = two["flood_tab_mib_s"] / one["app_mib_s"]
            print("P6", two, flush=True)
        if args.what == "binary":
            binary(xvfb, args.views.split(","), args.rate_mib, args.seconds or 10.0, args.mib or 200, args.flood_clients,
                   args.log_capture)


if __name__ == "__main__":
    main()

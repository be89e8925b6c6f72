#!/usr/bin/env python3
"""Load mode of `netassist run` (issue 16, item 5) against a Python asyncio
echo server on 127.0.0.1, with a Python asyncio client doing the same
exchange as the reference, in the same invocation.

Each run of the script: connect, PINGS x (send "ping N\\n", expect the echo
up to its newline), close. N connections run it M times each.

  netassist:  netassist run ping.nas --connections N --repeat M
  reference:  N asyncio tasks, each M times: open_connection, PINGS x
              (write, readuntil b"\\n"), close; one event loop, one process.

Both are measured against the same server process, one after the other,
and report round trips per second and round-trip percentiles. A third case
runs netassist at a fixed --rate and reports how late runs started.

Usage (after `cargo build --release`):
  python3 tools/bench_load.py [--connections 10] [--repeat 100] [--pings 20]

Only 127.0.0.1 is used.
"""

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "target", "release", "netassist")

SERVER = r"""
import asyncio, sys
async def handle(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()
asyncio.run(main())
"""


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(q * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


async def reference(port, connections, repeat, pings):
    rtts = []
    failures = 0

    async def worker():
        nonlocal failures
        seq = 0
        for _ in range(repeat):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                for _ in range(pings):
                    seq += 1
                    message = f"ping {seq}\n".encode()
                    start = time.perf_counter()
                    writer.write(message)
                    line = await reader.readuntil(b"\n")
                    rtts.append(time.perf_counter() - start)
                    if line != message:
                        failures += 1
                writer.close()
                await writer.wait_closed()
            except (ConnectionError, asyncio.IncompleteReadError):
                failures += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return time.perf_counter() - start, sorted(rtts), failures


def parse_app(out):
    figures = {}
    m = re.search(r"runs in ([0-9.]+) s", out)
    figures["seconds"] = float(m.group(1)) if m else float("nan")
    m = re.search(r"runs: (\d+) passed, (\d+) failed", out)
    figures["passed"], figures["failed"] = (int(m.group(1)), int(m.group(2))) if m else (0, -1)
    m = re.search(r"requests: (\d+) round trips, ([0-9.]+) requests/s", out)
    figures["trips"], figures["rps"] = (int(m.group(1)), float(m.group(2))) if m else (0, float("nan"))
    for name in ["p50", "p95", "p99", "max"]:
        m = re.search(name + r" ([0-9.]+) (µs|ms)", out)
        figures[name] = (float(m.group(1)) * (1000 if m.group(2) == "ms" else 1)) if m else float("nan")
    m = re.search(r"(\d+) of (\d+) runs started more than 1 ms late \(latest ([0-9.]+) (µs|ms)\)", out)
    if m:
        figures["late"] = int(m.group(1))
        figures["latest_us"] = float(m.group(3)) * (1000 if m.group(4) == "ms" else 1)
    return figures


def run_app(script, port, args, extra=()):
    cmd = [args.app, "run", script, "--remote", f"127.0.0.1:{port}",
           "--connections", str(args.connections), "--repeat", str(args.repeat), *extra]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if out.returncode not in (0, 1):
        sys.exit(f"netassist failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--pings", type=int, default=20)
    parser.add_argument("--rate", type=float, default=200.0, help="runs/s for the fixed-rate case")
    parser.add_argument("--app", default=APP, help="the netassist binary (default: the release build)")
    args = parser.parse_args()
    if not os.path.exists(args.app):
        sys.exit(f"{args.app} not found: cargo build --release first")

    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            script = os.path.join(tmp, "ping.nas")
            with open(script, "w") as f:
                f.write("charset utf-8\nconnect 127.0.0.1:7\n"
                        f"repeat {args.pings} {{\n  send \"ping ${{seq}}\\n\"\n  expect regex \"ping \\d+\\n\"\n}}\nclose\n")
            total = args.connections * args.repeat * args.pings
            print(f"{args.connections} connections x {args.repeat} runs x {args.pings} pings = {total} round trips, "
                  f"asyncio echo server on 127.0.0.1:{port}")

            app = parse_app(run_app(script, port, args))
            seconds, rtts, failures = asyncio.run(reference(port, args.connections, args.repeat, args.pings))
            ref_rps = len(rtts) / seconds
            print(f"netassist:  {app['rps']:9.1f} req/s  p50 {app['p50']:7.0f} µs  p95 {app['p95']:7.0f} µs  "
                  f"p99 {app['p99']:7.0f} µs  max {app['max']:7.0f} µs  ({app['trips']} trips, "
                  f"{app['failed']} runs failed, {app['seconds']:.3f} s)")
            print(f"asyncio:    {ref_rps:9.1f} req/s  p50 {percentile(rtts, .5) * 1e6:7.0f} µs  "
                  f"p95 {percentile(rtts, .95) * 1e6:7.0f} µs  p99 {percentile(rtts, .99) * 1e6:7.0f} µs  "
                  f"max {rtts[-1] * 1e6 if rtts else float('nan'):7.0f} µs  ({len(rtts)} trips, {failures} failed, "
                  f"{seconds:.3f} s)")
            print(f"ratio netassist / asyncio client: {app['rps'] / ref_rps:.2f}x requests/s")

            rated = parse_app(run_app(script, port, args, ["--rate", str(args.rate)]))
            runs = args.connections * args.repeat
            print(f"fixed rate {args.rate:g} runs/s: {runs} runs in {rated['seconds']:.3f} s "
                  f"(schedule: {runs / args.rate:.3f} s), {rated.get('late', '?')} started > 1 ms late, "
                  f"latest {rated.get('latest_us', float('nan')):.0f} µs; {rated['rps']:.1f} req/s, "
                  f"p99 {rated['p99']:.0f} µs, {rated['failed']} runs failed")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()

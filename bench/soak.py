"""A mixed read/write soak against a running rapport (see bench/soak).

Readers load pages with a session; writers add topics through the API; droppers send a write
and hang up before the answer, or send half a request and hang up. The write-ahead log's size
is sampled throughout. At the end every acknowledged write is read back, and one more write
must answer within two seconds. Prints a summary; exits 1 if anything acknowledged is missing,
any write failed, or the log passed its limit.

Only the standard library: python3 bench/soak.py --help.
"""

import argparse
import http.client
import json
import os
import random
import socket
import sys
import threading
import time
from collections import Counter


def request(port, method, path, headers, body=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--session", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--meetings", required=True, help="comma-separated meeting ids to write to")
    ap.add_argument("--read-paths", required=True, help="comma-separated paths to read")
    ap.add_argument("--seconds", type=float, default=1800)
    ap.add_argument("--readers", type=int, default=8)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--droppers", type=int, default=2)
    ap.add_argument("--wal", default="", help="path of the -wal file to sample (SQLite)")
    ap.add_argument("--wal-limit", type=int, default=64 * 1024 * 1024)
    a = ap.parse_args()

    meetings = a.meetings.split(",")
    paths = a.read_paths.split(",")
    cookie = {"Cookie": f"rapport_session={a.session}"}
    api = {"Authorization": f"Bearer {a.token}", "Content-Type": "application/json"}
    stop = threading.Event()
    lock = threading.Lock()
    reads = Counter()
    writes = Counter()
    acked = {m: [] for m in meetings}
    wal_max = [0]
    read_ms = []

    def reader():
        while not stop.is_set():
            path = random.choice(paths)
            t = time.monotonic()
            try:
                status, _ = request(a.port, "GET", path, cookie)
            except OSError as e:
                status = type(e).__name__
            with lock:
                reads[status] += 1
                read_ms.append((time.monotonic() - t) * 1000)

    def writer(n):
        i = 0
        while not stop.is_set():
            i += 1
            m = random.choice(meetings)
            body = f"soak w{n} #{i}"
            try:
                status, raw = request(a.port, "POST", f"/api/v1/meetings/{m}/points", api, json.dumps({"body": body}))
            except OSError as e:
                status, raw = type(e).__name__, b""
            with lock:
                writes[status] += 1
                if status == 201:
                    acked[m].append(body)
                elif len(writes) < 50:
                    print(f"write answered {status}: {raw[:200]!r}", file=sys.stderr)

    def dropper(n):
        i = 0
        while not stop.is_set():
            i += 1
            m = random.choice(meetings)
            payload = json.dumps({"body": f"soak dropped d{n} #{i}"}).encode()
            head = (
                f"POST /api/v1/meetings/{m}/points HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {a.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            ).encode()
            try:
                s = socket.create_connection(("127.0.0.1", a.port), timeout=5)
                if i % 2:
                    s.sendall(head + payload)  # the whole write, then gone before the answer
                    time.sleep(random.random() * 0.005)
                else:
                    s.sendall(head + payload[: len(payload) // 2])  # half a request
                s.close()
                with lock:
                    writes["dropped"] += 1
            except OSError:
                pass
            time.sleep(0.01)

    def sampler():
        while not stop.is_set():
            if a.wal:
                try:
                    wal_max[0] = max(wal_max[0], os.path.getsize(a.wal))
                except OSError:
                    pass
            time.sleep(0.25)

    threads = [threading.Thread(target=reader) for _ in range(a.readers)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(a.writers)]
    threads += [threading.Thread(target=dropper, args=(n,)) for n in range(a.droppers)]
    threads.append(threading.Thread(target=sampler))
    started = time.monotonic()
    for t in threads:
        t.start()
    last = started
    while time.monotonic() - started < a.seconds:
        time.sleep(1)
        if time.monotonic() - last >= 60:
            last = time.monotonic()
            with lock:
                print(f"{int(last - started)} s: reads {dict(reads)} writes {dict(writes)} wal max {wal_max[0]}", file=sys.stderr)
    stop.set()
    for t in threads:
        t.join()

    missing = 0
    for m, bodies in acked.items():
        status, raw = request(a.port, "GET", f"/api/v1/meetings/{m}", api)
        if status != 200:
            print(f"reading back {m} answered {status}", file=sys.stderr)
            missing += len(bodies)
            continue
        seen = {p["body"] for p in json.loads(raw).get("points", [])}
        missing += sum(1 for b in bodies if b not in seen)
    t = time.monotonic()
    status, _ = request(a.port, "POST", f"/api/v1/meetings/{meetings[0]}/points", api, json.dumps({"body": "soak: one more"}), timeout=2)
    last_write_ms = (time.monotonic() - t) * 1000

    read_ms.sort()
    pct = lambda p: read_ms[min(len(read_ms) - 1, int(len(read_ms) * p))] if read_ms else 0
    failed = sum(n for k, n in writes.items() if k not in (201, "dropped"))
    print(f"soak: {a.seconds:.0f} s, {a.readers} readers, {a.writers} writers, {a.droppers} droppers")
    print(f"reads: {dict(reads)}  p50 {pct(0.5):.1f} ms  p99 {pct(0.99):.1f} ms")
    print(f"writes: {dict(writes)}  acknowledged and read back: {sum(len(b) for b in acked.values()) - missing}, missing: {missing}")
    print(f"one more write after the soak: {status} in {last_write_ms:.0f} ms")
    if a.wal:
        print(f"write-ahead log: largest seen {wal_max[0] / 1048576:.1f} MiB (limit {a.wal_limit / 1048576:.0f} MiB)")
    bad = missing or failed or status != 201 or (a.wal and wal_max[0] > a.wal_limit)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

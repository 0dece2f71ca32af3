#!/usr/bin/env python3
"""The load half of tools/bench/soak: mixed reads, searches and submissions against a running
`candor serve` on loopback for a bounded time, then a check that every acknowledged submission is
in the register as acknowledged.

Standard library only. Prints one line per interval (throughput, errors, the server's RSS) and,
at the end, a summary; writes the acknowledged submissions to --acks (TSV) so that the shell
script can verify receipts with `candor verify`. Exit status: 0 clean, 1 errors or anything
acknowledged missing, 2 usage.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse

SEARCH_WORDS = ["benefit", "chatbot", "fraud", "health", "police", "school", "energy", "risk",
                "appointment", "translation", "housing", "tax", "grant", "triage", "summaries"]


def rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for pid %d" % pid)


def file_mib(path):
    """A file's size in MiB; 0 when there is no path or no file (SQLite removes the WAL on close)."""
    try:
        return os.path.getsize(path) / (1024 * 1024) if path else 0.0
    except OSError:
        return 0.0


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.ok = {"read": 0, "search": 0, "submit": 0}
        self.latency = {"read": [], "search": [], "submit": []}  # seconds, successful requests
        self.errors = []  # (kind, what, detail)

    def add(self, kind, seconds):
        with self.lock:
            self.ok[kind] += 1
            self.latency[kind].append(seconds)

    def percentiles(self, kind):
        with self.lock:
            v = sorted(self.latency[kind])
        if not v:
            return "-"
        at = lambda q: v[min(len(v) - 1, int(q * len(v)))] * 1000  # noqa: E731
        return f"p50 {at(0.5):.1f} ms, p99 {at(0.99):.1f} ms, max {v[-1] * 1000:.1f} ms"

    def error(self, kind, what, detail):
        with self.lock:
            self.errors.append((kind, what, detail))

    def snapshot(self):
        with self.lock:
            return dict(self.ok), len(self.errors)


class Client:
    """One keep-alive connection; reconnects after the server closes it."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = None

    def request(self, method, target, body=None, headers=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, target, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return resp.status, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server timed out between requests: retry once on a
                # fresh one. A failure on a fresh connection is an error.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
            except Exception:
                # Anything else (a timeout, a malformed answer) leaves the connection unusable:
                # drop it, so one failure is counted once and the next request starts afresh.
                self.conn.close()
                self.conn = None
                raise
        raise AssertionError("unreachable")


def getter(args, stop, counters, kind, next_target):
    """Sends GET next_target() in a loop until stopped, counting each answer as `kind`."""
    client = Client(args.host, args.port)
    while not stop.is_set():
        target = next_target()
        try:
            t0 = time.monotonic()
            status, _ = client.request("GET", target)
            if status == 200:
                counters.add(kind, time.monotonic() - t0)
            else:
                counters.error(kind, target, f"status {status}")
        except Exception as e:  # noqa: BLE001 - every failure is counted and reported
            counters.error(kind, target, repr(e))


def reader(args, stop, counters, known, rng):
    def target():
        org, rid = rng.choice(known)
        return rng.choice([f"/records/{org}/{rid}", f"/api/v1/records/{org}/{rid}",
                           f"/organisations/{org}", "/api/v1/statistics"])
    getter(args, stop, counters, "read", target)


def searcher(args, stop, counters, rng):
    def target():
        q = urllib.parse.quote(" ".join(rng.sample(SEARCH_WORDS, rng.choice([1, 1, 2]))))
        if rng.random() < 0.3:
            return "/api/v1/records?q=" + q
        return "/search?q=" + q + rng.choice(["", "&page=2"])
    getter(args, stop, counters, "search", target)


ID_LINE = re.compile(r"^id: (\S+)$", re.M)
REVIEWED_LINE = re.compile(r'^  last_reviewed: .*$', re.M)


def writer(args, stop, counters, templates, acks, acks_lock, serial, rng):
    client = Client(args.host, args.port)
    headers = {"Authorization": "Bearer " + args.token, "Content-Type": "application/yaml"}
    mine = []  # (template index, new id) of records this writer created, to update later
    while not stop.is_set():
        n = serial.next()
        if mine and rng.random() < 0.3:
            # A new version of a record this writer filed: a different review date.
            t, new_id = rng.choice(mine)
            text = ID_LINE.sub("id: " + new_id, templates[t], count=1)
            day = 1 + n % 28
            month = 1 + (n // 28) % 12
            text = REVIEWED_LINE.sub(f'  last_reviewed: "2025-{month:02d}-{day:02d}"', text,
                                     count=1)
        else:
            t = rng.randrange(len(templates))
            base = ID_LINE.search(templates[t]).group(1)
            new_id = f"{base[:60].rstrip('-')}-soak-{n:x}"
            text = ID_LINE.sub("id: " + new_id, templates[t], count=1)
            mine.append((t, new_id))
        try:
            t0 = time.monotonic()
            status, body = client.request("POST", "/api/v1/records", text.encode(), headers)
            took = time.monotonic() - t0
        except Exception as e:  # noqa: BLE001
            counters.error("submit", new_id, repr(e))
            continue
        if status not in (200, 201):
            counters.error("submit", new_id, f"status {status}: {body[:300]!r}")
            continue
        doc = json.loads(body)
        with acks_lock:
            acks.append((doc["organisation"], doc["record_id"], doc["version"],
                         doc["leaf_index"], doc["receipt"]))
        counters.add("submit", took)


class Serial:
    """Numbers 1, 2, 3... handed out to any thread. (A generator cannot be: two threads calling
    next() on one at once get "generator already executing", whatever lock it takes inside.)"""

    def __init__(self):
        self.lock = threading.Lock()
        self.n = 0

    def next(self):
        with self.lock:
            self.n += 1
            return self.n


def counted(kind, counters, body):
    """Runs a client thread's body; anything it did not expect ends it as one counted error
    instead of a traceback on stderr and a silently missing client."""
    def run(*args):
        try:
            body(*args)
        except Exception as e:  # noqa: BLE001 - counted, reported, and the soak fails
            counters.error(kind, "client thread", "ended by " + repr(e))
    return run


def check_acknowledged(args, acks):
    """Every acknowledged version is in the register with the acknowledged leaf index."""
    client = Client(args.host, args.port)
    missing = []
    for org, rid, version, leaf, _ in acks:
        target = f"/api/v1/records/{org}/{rid}/versions/{version}"
        status, body = client.request("GET", target)
        if status != 200:
            missing.append((target, f"status {status}"))
            continue
        got = json.loads(body)
        got_leaf = got.get("leaf_index")
        if got_leaf != leaf:
            missing.append((target, f"leaf index {got_leaf}, acknowledged {leaf}"))
    return missing


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True, help="the server's process id (for RSS)")
    p.add_argument("--token", required=True, help="an admin token (submits for any organisation)")
    p.add_argument("--records", required=True, help="directory of template records (*.yaml)")
    p.add_argument("--known", required=True, help="TSV of organisation, record id already filed")
    p.add_argument("--seconds", type=int, default=600)
    p.add_argument("--interval", type=int, default=30)
    p.add_argument("--readers", type=int, default=4)
    p.add_argument("--searchers", type=int, default=2)
    p.add_argument("--writers", type=int, default=4)
    p.add_argument("--acks", required=True, help="where to write the acknowledged submissions")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--wal", help="the register's SQLite WAL file, whose size is sampled with RSS")
    args = p.parse_args()

    templates = []
    for name in sorted(os.listdir(args.records)):
        if name.endswith(".yaml"):
            with open(os.path.join(args.records, name), encoding="utf-8") as f:
                text = f.read()
            if ID_LINE.search(text) and REVIEWED_LINE.search(text):
                templates.append(text)
    with open(args.known, encoding="utf-8") as f:
        known = [tuple(line.rstrip("\n").split("\t")[:2]) for line in f if line.strip()]
    if not templates or not known:
        print("soak: no template records or no filed records to read", file=sys.stderr)
        return 2

    counters = Counters()
    stop = threading.Event()
    acks, acks_lock = [], threading.Lock()
    serial = Serial()
    rng = random.Random(args.seed)
    threads = []
    for _ in range(args.readers):
        threads.append(threading.Thread(target=counted("read", counters, reader), args=(
            args, stop, counters, known, random.Random(rng.random()))))
    for _ in range(args.searchers):
        threads.append(threading.Thread(target=counted("search", counters, searcher), args=(
            args, stop, counters, random.Random(rng.random()))))
    for _ in range(args.writers):
        threads.append(threading.Thread(target=counted("submit", counters, writer), args=(
            args, stop, counters, templates, acks, acks_lock, serial, random.Random(rng.random()))))

    rss_start = rss_kib(args.pid)
    print(f"soak: {args.seconds}s; {args.readers} readers, {args.searchers} searchers, "
          f"{args.writers} writers; server RSS at start {rss_start / 1024:.1f} MiB")
    print("| elapsed s | reads/s | searches/s | submissions/s | errors | RSS MiB, median | RSS MiB, max "
          "| WAL MiB, max |")
    print("|---|---|---|---|---|---|---|---|")
    started = time.monotonic()
    for t in threads:
        t.start()
    last, last_t = {"read": 0, "search": 0, "submit": 0}, started
    # RSS is sampled every second and each interval reports its median and maximum. One sample
    # per interval caught whatever requests happened to be in flight at that instant (and, with
    # the server trimming freed memory every few seconds, how long since the last trim): it
    # moved by a tenth between neighbouring intervals. The median is the interval's level.
    rss_samples = [rss_start]
    interval_medians = []
    wal_largest = 0.0
    while True:
        remaining = args.seconds - (time.monotonic() - started)
        if remaining <= 0:
            break
        interval_end = time.monotonic() + min(args.interval, remaining)
        samples, wal_samples = [], []
        while True:
            left = interval_end - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(1.0, left))
            samples.append(rss_kib(args.pid))
            wal_samples.append(file_mib(args.wal))
        now = time.monotonic()
        ok, errors = counters.snapshot()
        rss_samples.extend(samples)
        interval_medians.append(statistics.median(samples))
        dt = now - last_t
        print(f"| {now - started:.0f} | {(ok['read'] - last['read']) / dt:,.0f} "
              f"| {(ok['search'] - last['search']) / dt:,.0f} "
              f"| {(ok['submit'] - last['submit']) / dt:,.0f} | {errors} "
              f"| {interval_medians[-1] / 1024:.1f} | {max(samples) / 1024:.1f} "
              f"| {max(wal_samples):.1f} |", flush=True)
        wal_largest = max([wal_largest] + wal_samples)
        last, last_t = ok, now
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    rss_end = rss_kib(args.pid)
    ok, errors = counters.snapshot()

    with open(args.acks, "w", encoding="utf-8") as f:
        for org, rid, version, leaf, receipt in acks:
            f.write(f"{org}\t{rid}\t{version}\t{leaf}\t{json.dumps(receipt)}\n")
    missing = check_acknowledged(args, acks)

    growth = (rss_end - rss_start) / rss_start * 100
    print()
    print(f"totals: {ok['read']:,} reads, {ok['search']:,} searches, {ok['submit']:,} "
          f"acknowledged submissions in {elapsed:.0f}s "
          f"({sum(ok.values()) / elapsed:,.0f} requests/s)")
    for kind, label in (("read", "reads"), ("search", "searches"), ("submit", "submissions")):
        print(f"latency of {label}: {counters.percentiles(kind)}")
    print(f"errors: {errors}")
    for kind, what, detail in counters.errors[:20]:
        print(f"  {kind} {what}: {detail}")
    print(f"server RSS: {rss_start / 1024:.1f} MiB at start, {rss_end / 1024:.1f} MiB once the "
          f"load stopped ({growth:+.1f}%), peak {max(rss_samples + [rss_end]) / 1024:.1f} MiB")
    if args.wal:
        print(f"WAL: largest {wal_largest:.1f} MiB, {file_mib(args.wal):.1f} MiB once the load stopped")
    print(f"acknowledged and present with the acknowledged leaf index: "
          f"{len(acks) - len(missing):,} of {len(acks):,}")
    for target, why in missing[:20]:
        print(f"  missing {target}: {why}")
    # The target is growth under 10%; a start below the allocator's first arenas would make any
    # growth look large, so it is judged under load, from the first interval's median RSS (the
    # server warmed up) to the last interval's, and from the first interval's to the RSS once
    # the load stopped: the larger of the two counts.
    warmed = interval_medians[0] if interval_medians else rss_start
    last_level = interval_medians[-1] if interval_medians else rss_end
    under_load = (last_level - warmed) / warmed * 100
    after_load = (rss_end - warmed) / warmed * 100
    warm_growth = max(under_load, after_load)
    print(f"server RSS growth after the first interval: {under_load:+.1f}% under load (median of "
          f"the last interval), {after_load:+.1f}% once it stopped "
          f"({'under' if warm_growth < 10 else 'NOT under'} 10%)")
    return 0 if errors == 0 and not missing and warm_growth < 10 else 1


if __name__ == "__main__":
    sys.exit(main())

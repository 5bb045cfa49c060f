"""Benchmark of the appointment engine (ACC-4.x): booking throughput, slot listing against the
foundation baseline, p99 at 200 connections, and a rush of bookers on 40 places.

    .venv/bin/python bench/acceptance.py [--duration 10] [--connections 200] [--rush 500]
    .venv/bin/python bench/acceptance.py --duration 2 --connections 8 --rush 60      # smoke run

1. Throwaway PostgreSQL + Redis (bin/devstack.py), migrate.
2. Seed (subprocess): a city, a hall with 8 bookable matters; for each matter one slot per period
   (4 a day) on the next 10 working days with room for every booking the run can make (the
   throughput slots); a "rush" set of 3 matters (40 / 20 / 20 places in one period) in a matter
   group with a quota of 40; one citizen with a DRF token.
3. gunicorn (prod settings, 2 workers). Load, each for --duration seconds at --connections:
   * ping: `GET /api/v1/core/ping/` (the foundation baseline, measured in the same run);
   * slot listing: `GET /api/v1/acceptance/bookable-matters/<pk>/slots/` (public: 14 days of
     periods with booked count and full flag, the calendar rules applied);
   * booking: `POST /api/v1/acceptance/booking-requests/` (the queued path, decision 0405), every
     request a distinct applicant (valid ID number) on one of the throughput slots, spread over
     them; counted bookings/s are the admitted requests (202). A Celery worker (1 process, `nice -n 10`:
     production runs it on its own nodes) runs the persister meanwhile; after the load the bench waits
     until every admitted request is decided and reports confirmed/s (confirmed ÷ seconds from the
     load's start to the last decision).
   Before the load every slot counter is seeded (warm-up, `booking_gate.seed_slots`), as a hall does
   when it opens its booking window; admissions are counted server side too (BookingRequest rows
   once the stream is drained), and the persister's own confirmed/s is printed.
4. Rush: --rush bookers released at once (threads behind a barrier, at most --connections in
   flight) on the rush slots; after the persister drained the queue exactly 40 bookings must
   exist, 40 answers 202 and every other answer a 409 "约满" — the bench fails (exit 1) otherwise.
5. Latency at the required load (decision 0417): --connections connections, each sending on a fixed
   schedule, together offering the goal rates — the slot listing at 50 % of ping's measured req/s, and
   300 bookings/s — for --duration seconds; p99 measured from each scheduled send time.
6. Prints req/s, p50, p99, errors, the ratios and goals (booking ≥ 300/s; listing ≥ 50 % of ping
   req/s; p99 ≤ 100 ms at the required load), and writes reports/bench-acceptance.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import baseline

CITY = "230100000000"
MATTERS = 8
PERIODS = ((8, 9), (9, 10), (10, 11), (14, 15))
WORKING_DAYS = 10
BOOKING_PATH = "/api/v1/acceptance/booking-requests/"
ADMITTED = 202
RUSH_PLACES = 40
GOALS = {"booking_rps": 300.0, "listing_ratio": 0.5, "p99_ms": 100.0}
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(n: int) -> str:
    """A distinct, valid 18-digit resident ID number for every n (birth date and sequence vary)."""
    born = date(1950, 1, 1) + timedelta(days=n // 1000)
    first17 = f"230102{born:%Y%m%d}{n % 1000:03d}"
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def booking_body(slot: int, n: int) -> bytes:
    return json.dumps({"slot": slot, "booker_name": f"压测{n}", "mobile_number": f"139{n % 10**8:08d}",
                       "id_number": id_number(n), "channel": "app"}).encode()


# --- Seeding (child process with Django set up) ---------------------------------------------------

def seed(capacity: int) -> dict:
    import django

    django.setup()
    from datetime import time as clock

    from rest_framework.authtoken.models import Token

    from apps.acceptance.models import (
        BookableMatter,
        Hall,
        MatterGroup,
        MatterGroupQuota,
        Slot,
        SlotKind,
    )
    from apps.core.calendar import is_working_day
    from apps.core.models import Organisation, OrganisationKind, Region
    from apps.core.validators import make_credit_code
    from apps.identity.models import User, UserKind
    from apps.matters.models import CatalogueItem, ImplementationItem

    province, _ = Region.objects.get_or_create(code="230000000000", defaults={"name": "黑龙江省"})
    city, _ = Region.objects.get_or_create(code=CITY, defaults={"name": "哈尔滨市", "parent": province})
    organisation = Organisation.objects.create(
        name="哈尔滨市市场监督管理局", region=city, kind=OrganisationKind.DEPARTMENT,
        credit_code=make_credit_code("1", "1", CITY[:6], "612345670"))
    hall = Hall.objects.create(name="哈尔滨市政务服务中心", hall_number="HB0001", region=city, organisation=organisation,
                               address="哈尔滨市松北区世纪大道1号", transport_info="地铁1号线", booking_tips="请携带身份证")

    def bookable(n: int) -> BookableMatter:
        catalogue = CatalogueItem.objects.create(name=f"压测事项{n}", matter_type="01", region=city,
                                                 handling_department=organisation, department=organisation,
                                                 basic_code=f"BENCH{n:05d}")
        item = ImplementationItem.objects.create(
            name=f"压测事项{n}", matter_type="01", region=city, handling_department=organisation,
            catalogue_item=catalogue, basic_code=catalogue.basic_code, implementation_code=f"BENCHI{n:05d}",
            implementing_body=organisation, status="published")
        return BookableMatter.objects.create(hall=hall, matter=item, department_name=organisation.name)

    days, day = [], date.today() + timedelta(days=1)
    while len(days) < WORKING_DAYS:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    matters = [bookable(n) for n in range(MATTERS)]
    Slot.objects.bulk_create([
        Slot(bookable_matter=m, hall=hall, date=d, period_start=clock(a), period_end=clock(b), capacity=capacity,
             kind=SlotKind.PRIORITY_HANDLING) for m in matters for d in days for a, b in PERIODS])
    rush_matters = [bookable(100 + n) for n in range(3)]
    rush = [Slot.objects.create(bookable_matter=m, hall=hall, date=days[0], period_start=clock(8),
                                period_end=clock(9), capacity=cap, kind=SlotKind.PRIORITY_HANDLING)
            for m, cap in zip(rush_matters, (RUSH_PLACES, 20, 20))]
    group = MatterGroup.objects.create(hall=hall, name="压测事项组")
    group.members.add(*rush_matters)
    MatterGroupQuota.objects.create(group=group, period_start=clock(8), period_end=clock(9), quota=RUSH_PLACES)
    user = User.objects.create(username="bench_citizen", kind=UserKind.NATURAL_PERSON, full_name="压测用户")
    token, _ = Token.objects.get_or_create(user=user)
    slots = list(Slot.objects.filter(bookable_matter__in=matters).order_by("pk").values_list("pk", flat=True))
    return {"token": token.key, "listing_matter": matters[0].pk, "slots": slots, "rush": [s.pk for s in rush]}


def warm_up(slot_ids: list[int]) -> dict:
    """A hall opening its booking window: every slot counter (and group counter) seeded in Redis from
    PostgreSQL before the timed load, so the load measures admissions, not first-hit seeding."""
    import django

    django.setup()
    from apps.acceptance.services import booking_gate

    started = time.perf_counter()
    booking_gate.seed_blacklist()
    seeded = booking_gate.seed_slots(slot_ids)
    return {"slots": seeded, "seconds": round(time.perf_counter() - started, 2)}


def wait_decided(since: float, timeout: float = 300.0) -> dict:
    """Wait until the persister drained the stream (no entry queued, none pending in the consumer
    group, twice in a row), then count from PostgreSQL: every admitted request is one BookingRequest
    row, so the admissions are counted server-side (a client that timed out may still have been
    admitted). confirmed/s from `since` to the last decision, and the persister's own rate (first
    to last decision of the phase)."""
    import django

    django.setup()
    from django.db.models import Max, Min

    from apps.acceptance.models import BookingRequest, BookingRequestState
    from apps.acceptance.services import booking_gate
    from apps.acceptance.services.booking_queue import STREAM_GROUP, ensure_group

    c, key = booking_gate.client(), booking_gate.stream_key()
    ensure_group(c)                     # the persister may not have started yet (same group, from the start)
    deadline, quiet = time.time() + timeout, 0
    while quiet < 2 and time.time() < deadline:
        pending = c.xpending(key, STREAM_GROUP)["pending"]
        quiet = quiet + 1 if c.xlen(key) == 0 and pending == 0 else 0
        time.sleep(0.5)
    since_dt = datetime.fromtimestamp(int(since), tz=UTC)          # admitted_at has whole seconds
    phase = BookingRequest.objects.filter(admitted_at__gte=since_dt)
    confirmed = phase.filter(state=BookingRequestState.CONFIRMED).count()
    span = phase.aggregate(first=Min("decided_at"), last=Max("decided_at"))
    seconds = (span["last"].timestamp() - since) if span["last"] else 0.0
    own = (span["last"] - span["first"]).total_seconds() if span["last"] else 0.0
    return {"decided": phase.count(), "confirmed": confirmed,
            "refused": phase.filter(state=BookingRequestState.REFUSED).count(),
            "seconds_to_last": round(seconds, 2), "confirmed_per_s": round(confirmed / seconds, 1) if seconds else 0.0,
            "persister_seconds": round(own, 2),
            "persister_confirmed_per_s": round(confirmed / own, 1) if own >= 0.5 else 0.0}     # one batch: no rate


def rush_count(rush: list[int]) -> dict:
    import django

    django.setup()
    from apps.acceptance.models import Appointment, MatterGroupUsage, Slot

    return {"appointments": Appointment.objects.filter(slot_id__in=rush).count(),
            "booked": sum(Slot.objects.filter(pk__in=rush).values_list("booked_count", flat=True)),
            "group_usage": sum(MatterGroupUsage.objects.values_list("booked_count", flat=True))}


# --- POST load ------------------------------------------------------------------------------------

def _post_worker(port: int, headers: dict, slots: list[int], first: int, threads: int, stride: int,
                 deadline: float, queue) -> None:
    """`threads` keep-alive connections; thread k books applicants first+k, first+k+stride, …"""
    latencies: list[float] = []
    counts = {"created": 0, "errors": 0}
    lock = threading.Lock()

    def loop(offset: int):
        connection = http.client.HTTPConnection(baseline.HOST, port, timeout=5)
        mine, created, failed, n = [], 0, 0, first + offset
        while time.time() < deadline:
            body = booking_body(slots[n % len(slots)], n)
            n += stride                                             # disjoint applicant numbers per thread
            started = time.perf_counter()
            try:
                connection.request("POST", BOOKING_PATH, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                created += response.status == ADMITTED
                failed += response.status != ADMITTED
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(baseline.HOST, port, timeout=5)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            counts["created"] += created
            counts["errors"] += failed

    pool = [threading.Thread(target=loop, args=(k,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, counts))


def post_load(port: int, headers: dict, slots: list[int], *, duration: float, connections: int,
              tool: str = "python") -> dict:
    """Bookings at `connections` saturating connections, each request a new applicant. With wrk (the
    generator ping and the listing are measured with, when installed) the bodies are prepared here and
    POSTed by its Lua script: the Python generator takes a large share of the same 2 cores."""
    if tool == "wrk":
        return _post_load_wrk(port, headers, slots, duration=duration, connections=connections)
    processes = 2 if connections > 1 else 1
    per_process = max(1, connections // processes)
    queue = multiprocessing.Queue()
    started = time.time()
    stride = processes * per_process
    workers = [multiprocessing.Process(target=_post_worker, args=(port, headers, slots, p * per_process, per_process,
                                                                   stride, started + duration, queue))
               for p in range(processes)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=duration + 60) for _ in workers]
    for worker in workers:
        worker.join(10)
    elapsed = time.time() - started
    latencies = sorted(x for batch, _ in results for x in batch)
    created = sum(c["created"] for _, c in results)
    errors = sum(c["errors"] for _, c in results)
    if not latencies:
        return {"tool": "python", "requests": 0, "rps": 0.0, "bookings_per_s": 0.0, "p50_ms": 0.0, "p99_ms": 0.0,
                "errors": errors, "created": 0}
    return {"tool": "python", "requests": len(latencies), "rps": len(latencies) / elapsed, "elapsed": elapsed,
            "bookings_per_s": created / elapsed, "created": created,
            "p50_ms": latencies[len(latencies) // 2] * 1000,
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, "errors": errors}


def _post_load_wrk(port: int, headers: dict, slots: list[int], *, duration: float, connections: int) -> dict:
    bodies = [booking_body(slots[n % len(slots)], n).decode() for n in range(int(duration * 3000) + 2000)]
    row = baseline.run_wrk(f"http://{baseline.HOST}:{port}{BOOKING_PATH}", duration=duration,
                           connections=connections, headers=headers, bodies=bodies, expected_status=ADMITTED)
    elapsed = row["requests"] / row["rps"] if row["rps"] else duration
    created = row.get("expected", 0)
    # an error: any answer but 202, or a request without an answer (timeout, broken connection)
    # wrk stops with a request in flight on each connection: those are admitted but their 202 is not seen
    return {**row, "elapsed": elapsed, "created": created, "bookings_per_s": created / elapsed,
            "errors": row["requests"] - created + row["socket_errors"], "in_flight_at_stop": connections}


# --- Latency at the required load (paced) ---------------------------------------------------------

def _paced_worker(port: int, request, threads: int, interval: float, first: int, stride: int, started: float,
                  deadline: float, queue) -> None:
    """`threads` connections, each sending one request every `interval` s on a fixed schedule
    (staggered between connections). Latency is measured from the scheduled send time, so a slow answer
    that delays the next request counts against the server (no coordinated omission).

    One thread drives every connection with non-blocking sockets and prebuilt request bytes (decision
    0420): a thread per connection with http.client cost the load generator more CPU than the server's
    answer, on the same two cores, and its own queueing showed up as the server's latency."""
    conns = [_PacedConnection(port, request, first + k, stride, started + interval * k / threads)
             for k in range(threads)]
    selector = selectors.DefaultSelector()
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0, "last": 0.0}
    while True:
        now = time.time()
        for conn in conns:
            if conn.sent_at is None and conn.scheduled < deadline and conn.scheduled <= now:
                conn.send(selector)
        busy = [c for c in conns if c.sent_at is not None]
        waiting = [c.scheduled for c in conns if c.sent_at is None and c.scheduled < deadline]
        if not busy and not waiting:
            break
        timeout = max(0.0, min(waiting) - time.time()) if waiting else 1.0
        for key, _events in selector.select(timeout if not busy else min(timeout, 1.0)):
            conn = key.data
            status = conn.receive(selector)
            if status is None:
                continue                                  # the answer is not complete yet
            latencies.append(time.time() - conn.scheduled)
            counts["ok" if status == conn.expected else "errors"] += 1
            counts["last"] = time.time()
            conn.next(interval, selector)
        for conn in busy:                                 # no answer within 5 s: an error, a new connection
            if conn.sent_at is not None and time.time() - conn.sent_at > 5:
                latencies.append(time.time() - conn.scheduled)
                counts["errors"] += 1
                conn.closing = True
                conn.next(interval, selector)
    queue.put((latencies, counts))


class _PacedConnection:
    """One connection of the paced load: its schedule, the request it owes, the answer it reads."""

    def __init__(self, port: int, request, number: int, stride: int, scheduled: float):
        self.port, self.request, self.number, self.stride, self.scheduled = port, request, number, stride, scheduled
        self.sent_at, self.buffer, self.expected, self.sock, self.closing = None, b"", 200, None, False

    def _connect(self, selector) -> None:
        """Connect when the request is due, never ahead: a sync gunicorn worker that accepts an idle
        connection waits on it for its request, so a connection opened early holds a worker hostage
        (the other requests queue behind it)."""
        self.sock = socket.create_connection((baseline.HOST, self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        selector.register(self.sock, selectors.EVENT_READ, self)

    def close(self, selector) -> None:
        if self.sock is not None:
            selector.unregister(self.sock)
            self.sock.close()
            self.sock = None

    def send(self, selector) -> None:
        method, path, body, self.expected = self.request(self.number)
        head = [f"{method} {path} HTTP/1.1", f"Host: {baseline.HOST}:{self.port}"]
        head += [f"{name}: {value}" for name, value in self.request.headers.items()]
        if body is not None:
            head.append(f"Content-Length: {len(body)}")
        payload = ("\r\n".join(head) + "\r\n\r\n").encode() + (body or b"")
        if self.sock is None:
            self._connect(selector)
        try:
            self.sock.sendall(payload)                    # small: fits the socket buffer
        except OSError:                                   # a kept connection the server closed meanwhile
            self.close(selector)
            self._connect(selector)
            self.sock.sendall(payload)
        self.sent_at, self.buffer = time.time(), b""

    def receive(self, selector) -> int | None:
        """The status once the whole answer is in (Content-Length framed, as gunicorn sends Django's), else None."""
        try:
            chunk = self.sock.recv(65536)
        except BlockingIOError:
            return None
        if not chunk:                                     # closed before answering: an error
            self.closing = True
            return 0
        self.buffer += chunk
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = self.buffer[:end].decode("latin-1").split("\r\n")
        length = next((int(line.split(":", 1)[1]) for line in head[1:] if line.lower().startswith("content-length:")),
                      None)
        if length is None:
            raise SystemExit(f"paced load: an answer without Content-Length: {head[0]!r}")
        if len(self.buffer) < end + 4 + length:
            return None
        # gunicorn's sync workers close every connection after the answer (no keep-alive): the next request
        # opens a new one when it is due, as http.client does
        self.closing = any(line.lower().replace(" ", "") == "connection:close" for line in head[1:])
        return int(head[0].split()[1])

    def next(self, interval: float, selector) -> None:
        if self.closing:
            self.close(selector)
        self.sent_at, self.buffer, self.closing = None, b"", False
        self.number += self.stride
        self.scheduled += interval


class _Request:
    """What a paced connection sends for request number n (picklable for the load processes)."""

    def __init__(self, headers: dict, path: str = "", slots: list[int] | None = None):
        self.headers, self.path, self.slots = headers, path, slots

    def __call__(self, n: int):
        if self.slots:
            return "POST", BOOKING_PATH, booking_body(self.slots[n % len(self.slots)], n), ADMITTED
        return "GET", self.path, None, 200


def paced_load(port: int, request: _Request, *, rate: float, duration: float, connections: int,
               first: int) -> dict:
    """`connections` connections offering `rate` requests/s between them for `duration` s."""
    processes = 2 if connections > 1 else 1
    per_process = max(1, connections // processes)
    interval = processes * per_process / rate
    queue = multiprocessing.Queue()
    started = time.time() + 0.5
    workers = [multiprocessing.Process(target=_paced_worker, args=(
        port, request, per_process, interval, first + p * per_process, processes * per_process,
        started, started + duration, queue)) for p in range(processes)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=duration + 60) for _ in workers]
    for worker in workers:
        worker.join(10)
    latencies = sorted(x for batch, _ in results for x in batch)
    ok = sum(c["ok"] for _, c in results)
    errors = sum(c["errors"] for _, c in results)
    if not latencies:
        return {"offered_rps": rate, "requests": 0, "rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "errors": errors}
    # served rate over the time the answers took: a server that falls behind finishes after the schedule ends
    elapsed = max(duration, max(c["last"] for _, c in results) - started)
    return {"offered_rps": round(rate, 1), "requests": len(latencies), "rps": round(ok / elapsed, 1),
            "p50_ms": latencies[len(latencies) // 2] * 1000,
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, "errors": errors}


def warm_http(port: int, headers: dict, slots: list[int], workers: int) -> None:
    """A few untimed bookings per gunicorn worker (their first booking imports and sets up what a booking
    needs: the Celery producer, the Redis scripts), then a pause so that none of them shares a second of
    `admitted_at` with the timed load (the load's admissions are counted from that second)."""
    def one(n: int) -> None:
        connection = http.client.HTTPConnection(baseline.HOST, port, timeout=60)
        try:
            connection.request("POST", BOOKING_PATH, body=booking_body(slots[n % len(slots)], 9 * 10**6 + n),
                               headers=headers)
            connection.getresponse().read()
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(4 * workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(1.5)


def rush(port: int, headers: dict, slots: list[int], *, bookers: int, connections: int) -> dict:
    """`bookers` threads released together; at most `connections` requests in flight."""
    barrier, gate = threading.Barrier(bookers), threading.BoundedSemaphore(connections)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def book(n: int) -> None:
        barrier.wait()
        with gate:
            connection = http.client.HTTPConnection(baseline.HOST, port, timeout=30)
            try:
                connection.request("POST", BOOKING_PATH, body=booking_body(slots[n % len(slots)], 10**7 + n),
                                   headers=headers)
                response = connection.getresponse()
                status, text = response.status, response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException) as exc:
                status, text = 0, repr(exc)
            finally:
                connection.close()
        with lock:
            answers.append((status, text))

    started = time.perf_counter()
    threads = [threading.Thread(target=book, args=(n,)) for n in range(bookers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = sum(1 for status, _ in answers if status == ADMITTED)
    full = sum(1 for status, text in answers if status == 409 and "约满" in text)
    return {"bookers": bookers, "created": created, "full": full, "other": bookers - created - full,
            "seconds": round(time.perf_counter() - started, 2)}


# --- Main -----------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--rush", type=int, default=500, help="bookers released at once on 40 places")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--step", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--arg", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "seed":
        print(json.dumps(seed(int(args.arg))))
        return 0
    if args.step == "wait-decided":
        print(json.dumps(wait_decided(float(args.arg))))
        return 0
    if args.step == "warm-up":
        print(json.dumps(warm_up([int(x) for x in args.arg.split(",")])))
        return 0
    if args.step == "rush-count":
        print(json.dumps(rush_count([int(x) for x in args.arg.split(",")])))
        return 0
    from devstack import embedded_postgres, embedded_redis, free_port, manage

    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
    duration = min(args.duration, baseline.MAX_DURATION)
    scratch = Path(tempfile.mkdtemp(prefix="govplatform-bench-acceptance-"))
    try:
        with embedded_postgres(scratch / "pgdata", throwaway=True) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = baseline.bench_env(db_url, redis_url)
            manage(env, "migrate", "--noinput")

            def step(name, value):
                done = subprocess.run([sys.executable, __file__, "--step", name, "--arg", value], env=env, cwd=ROOT,
                                      capture_output=True, text=True, check=False)
                if done.returncode:
                    raise SystemExit(f"step {name} failed:\n{done.stderr[-3000:]}")
                return json.loads(done.stdout.splitlines()[-1])

            seeded = step("seed", str(10**6))
            warmed = step("warm-up", ",".join(map(str, seeded["slots"] + seeded["rush"])))
            port = free_port()
            server = baseline.start_gunicorn(env, port, args.workers, scratch / "gunicorn.log")
            # nice (as bench/reviews.py, decision 0418): in production the Celery workers run on their own nodes;
            # on the bench's shared 2 cores the persister takes what admissions leave and catches up afterwards
            persister = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "celery", "-A", "govplatform",
                                          "worker", "-Q", "booking",
                                          "--concurrency", "1", "--loglevel", "WARNING"], env=env, cwd=ROOT,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            api = {"Authorization": f"Token {seeded['token']}", "Accept": "application/json",
                   "Content-Type": "application/json"}
            listing_path = f"/api/v1/acceptance/bookable-matters/{seeded['listing_matter']}/slots/"
            results = {}
            try:
                for name, path in (("ping", baseline.PING_PATH), ("slot_listing", listing_path)):
                    headers = {"Accept": "application/json"}
                    status, body = baseline.get(port, path, headers)
                    if status != 200:
                        raise SystemExit(f"{path}: HTTP {status} {body[:200]!r}")
                    results[name] = baseline.load(port, path, duration=duration, connections=args.connections,
                                                  headers=headers, tool=tool)
                warm_http(port, api, seeded["slots"], args.workers)
                load_started = time.time()
                results["booking"] = post_load(port, api, seeded["slots"], duration=duration,
                                               connections=args.connections, tool=tool)
                persisted = step("wait-decided", str(load_started))
                rush_started = time.time()
                rushed = rush(port, api, seeded["rush"], bookers=args.rush, connections=args.connections)
                rushed["persister"] = step("wait-decided", str(rush_started))
                # the p99 goal, read as latency at the required load: 200 connections offering the listing at
                # half of ping's measured rate and 300 bookings/s (decision 0417; saturated p99s above)
                at_load = {
                    "slot_listing": paced_load(port, _Request({"Accept": "application/json"}, path=listing_path),
                                               rate=GOALS["listing_ratio"] * results["ping"]["rps"],
                                               duration=duration, connections=args.connections, first=0),
                    "booking": paced_load(port, _Request(api, slots=seeded["slots"]), rate=GOALS["booking_rps"],
                                          duration=duration, connections=args.connections, first=3 * 10**7),
                }
                step("wait-decided", str(time.time()))
            finally:
                baseline.stop(persister)
                baseline.stop(server)
            results["booking"]["persister"] = persisted
            results["booking"]["admitted_server_side"] = persisted["decided"]
            results["booking"]["admitted_per_s"] = persisted["decided"] / results["booking"].get("elapsed", duration)
            results["booking"]["warm_up"] = warmed
            rushed.update(step("rush-count", ",".join(map(str, seeded["rush"]))))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return report(results, rushed, at_load, args)


def little(results: dict, connections: int, workers: int) -> None:
    """Little's law: with N connections always busy, mean latency = N / throughput. At 200 connections a
    mean of 100 ms needs 2000 req/s, which 2 sync workers cannot serve even for ping; so p99 ≤ 100 ms at
    200 connections is out of reach for every endpoint on this setup, whatever the endpoint costs."""
    for name, row in results.items():
        if row.get("rps"):
            print(f"Little's law {name}: {connections} connections / {row['rps']:.0f} req/s = "
                  f"{connections / row['rps'] * 1000:.0f} ms mean latency (measured p50 {row['p50_ms']:.0f} ms)")
    print(f"  p99 ≤ 100 ms at {connections} connections needs a mean ≤ 100 ms, i.e. ≥ {connections * 10} req/s "
          f"on {workers} sync workers ({connections * 10 / workers:.0f} req/s = {workers * 1000 / (connections * 10):.2f}"
          f" ms per request each) when every connection sends without pause; "
          f"{', '.join(n for n, r in results.items() if r.get('rps', 0) >= connections * 10) or 'none'} reach it here")


def report(results: dict, rushed: dict, at_load: dict, args) -> int:
    ping, listing, booking = results["ping"], results["slot_listing"], results["booking"]
    ratio = listing["rps"] / ping["rps"] if ping["rps"] else 0.0
    print(f"\n{'endpoint':<14}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, row in results.items():
        print(f"{name:<14}{row['requests']:>10}{row['rps']:>10.1f}{row['p50_ms']:>10.2f}{row['p99_ms']:>10.2f}"
              f"{row['errors']:>8}")
    checks = {
        "booking ≥ 300/s": booking["bookings_per_s"] >= GOALS["booking_rps"],
        "listing ≥ 50% of ping": ratio >= GOALS["listing_ratio"],
        "p99 ≤ 100 ms at the required load (listing, booking)":
            max(row["p99_ms"] for row in at_load.values()) <= GOALS["p99_ms"]
            and all(not row["errors"] and row["rps"] >= 0.95 * row["offered_rps"] for row in at_load.values()),
    }
    persisted = booking.get("persister", {})
    warmed = booking.get("warm_up", {})
    print(f"\nwarm-up: {warmed.get('slots', 0)} slot counters seeded from PostgreSQL in {warmed.get('seconds', 0)} s "
          f"before the load (a hall opening its booking window)")
    print(f"bookings/s: {booking['bookings_per_s']:.1f} admitted (202 seen by clients; goal ≥ {GOALS['booking_rps']:.0f}; "
          f"ratio {booking['bookings_per_s'] / GOALS['booking_rps']:.2f}); server side {booking.get('admitted_per_s', 0):.1f}"
          f"/s ({booking.get('admitted_server_side', 0)} requests in the stream → BookingRequest rows)")
    print(f"persister: {persisted.get('confirmed', 0)} of {booking.get('admitted_server_side', 0)} admitted confirmed, "
          f"{persisted.get('refused', 0)} refused; last decision {persisted.get('seconds_to_last', 0)} s after the "
          f"load started → {persisted.get('confirmed_per_s', 0)} confirmed/s end to end; the persister's own rate "
          f"{persisted.get('persister_confirmed_per_s', 0) or 'n/a (one batch)'} confirmed/s (first to last decision)")
    little(results, args.connections, args.workers)
    print(f"ratio slot_listing/ping: requests/s {ratio:.3f} (goal ≥ {GOALS['listing_ratio']}), "
          f"p99 {listing['p99_ms'] / ping['p99_ms'] if ping['p99_ms'] else 0:.2f}x")
    print(f"p99 at {args.connections} saturating connections (no pause between requests): listing "
          f"{listing['p99_ms']:.1f} ms, booking {booking['p99_ms']:.1f} ms — see Little's law above")
    for name, row in at_load.items():
        print(f"at the required load, {args.connections} connections: {name} offered {row['offered_rps']} req/s, "
              f"served {row['rps']} ok/s, p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, "
              f"{row['errors']} errors (goal p99 ≤ {GOALS['p99_ms']:.0f} ms)")
    # every 202 of the throughput phase was confirmed; a request the client gave up on (timeout, counted as an
    # error, or in flight when wrk stopped) may still have been admitted and confirmed, so confirmed may exceed
    # the 202s by at most those
    drained_ok = (booking["created"] <= persisted.get("confirmed", 0)
                  <= booking["created"] + booking["errors"] + booking.get("in_flight_at_stop", 0)
                  and persisted.get("confirmed", 0) == booking.get("admitted_server_side", 0)
                  and not persisted.get("refused"))
    print(f"throughput phase drained: {'OK' if drained_ok else 'FAILED'}")
    rush_ok = (rushed["created"] == rushed["appointments"] == rushed["booked"] == RUSH_PLACES
               and rushed["full"] == rushed["bookers"] - RUSH_PLACES and rushed["group_usage"] == RUSH_PLACES)
    print(f"rush: {rushed['bookers']} bookers on {RUSH_PLACES} places (group quota {RUSH_PLACES}) → "
          f"{rushed['created']} admitted, {rushed['full']} told 约满, {rushed['other']} other, "
          f"{rushed['appointments']} in the database after the drain, in {rushed['seconds']} s — "
          f"{'OK' if rush_ok else 'FAILED'}")
    for label, ok in checks.items():
        print(f"  {'met' if ok else 'NOT met'}: {label}")
    summary = {"connections": args.connections, "duration": args.duration, **results, "rush": rushed,
               "at_required_load": at_load,
               "ratio_listing_to_ping": round(ratio, 3), "goals": GOALS, "goals_met": checks, "rush_ok": rush_ok,
               "drained_ok": drained_ok}
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench-acceptance.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if rush_ok and drained_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

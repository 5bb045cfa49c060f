"""Benchmark of 好差评: evaluations/s through the integrator upload API, and the province
overview page on a large pre-aggregated dataset; ratios to the /api/v1/core/ping/ baseline
measured in the same run.

    .venv/bin/python bench/reviews.py [--duration 10] [--batch 50] [--represented 10000000] [--keep DIR]

`--keep DIR` keeps the database (and the field keys it was written with) in DIR: the first run
seeds and generates the aggregate rows, later runs reuse them and only upload and time again
(each run's uploads carry a run-unique external id).

1. Throwaway PostgreSQL + Redis (bin/devstack.py), migrate, seed: the province and 13 cities,
   one department per city, a hall per city, 200 implementation items, an integrator app
   (whitelist 127.0.0.1, HMAC secret).
2. gunicorn (2 workers, prod settings) and one Celery worker (queue sync, concurrency 1) that
   does the after-commit work (statistics refresh, outbox delivery to the national simulator).
3. Upload: N client processes POST signed batches of `--batch` evaluations for `--duration` s;
   accepted evaluations/s = accepted rows / elapsed.
4. Overview: EvaluationAggregate rows generated directly in SQL (see docs/reviews-bench.md)
   whose `total` columns sum to `--represented` evaluations; GET /reviews/ timed sequentially.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import baseline  # noqa: E402
from supervision import keep_keys  # noqa: E402  (same kept-database layout as bench/supervision.py)

HOST = "127.0.0.1"
UPLOAD = "/api/v1/reviews/open/evaluations/"
CITIES = ["230100000000", "230200000000", "230300000000", "230400000000", "230500000000", "230600000000",
          "230700000000", "230800000000", "230900000000", "231000000000", "231100000000", "231200000000",
          "232700000000"]


def seed() -> dict:
    import django

    django.setup()
    from django.db import connection

    from apps.acceptance.models import Hall
    from apps.core.models import Organisation, OrganisationKind, Region
    from apps.matters.models import CatalogueItem, ImplementationItem
    from apps.reviews.services.clients import client_register

    province, _ = Region.objects.get_or_create(code="230000000000", defaults={"name": "黑龙江省"})
    bureau = Organisation.objects.filter(region=province, kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU).first()
    if bureau is None:
        bureau = baseline._create_organisations(province, 1, kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU)[0]
    halls, items = [], []
    for n, code in enumerate(CITIES):
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": f"城市{n}", "parent": province})
        dept = baseline._create_organisations(region, 1)[0]
        dept.refresh_from_db()
        hall = Hall.objects.create(name=f"{region.name}政务服务中心", hall_number=f"BH{n:03d}", region=region,
                                   organisation=dept, address="地址")
        halls.append(hall.hall_number)
        for i in range(15):
            cat = CatalogueItem.objects.create(name=f"事项{n}-{i}", matter_type="01", region=region,
                                               handling_department=dept, department=dept,
                                               basic_code=f"BR{n:02d}{i:04d}")
            item = ImplementationItem.objects.create(
                name=cat.name, matter_type="01", region=region, handling_department=dept, catalogue_item=cat,
                basic_code=cat.basic_code, implementation_code=f"BRI{n:02d}{i:04d}", implementing_body=dept,
                status="published")
            items.append((hall.hall_number, item.implementation_code))
    client, secret = client_register(name="基准测试大厅系统", organisation=bureau, channel="hall",
                                     ip_whitelist="127.0.0.1", actor=None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"client_key": client.client_key, "secret": secret, "items": items}


def generate_aggregates(represented: int, days: int) -> int:
    """Aggregate rows straight in SQL: days × regions × departments × channels × objects."""
    import django

    django.setup()
    from django.db import connection

    from apps.core.models import Organisation

    orgs = list(Organisation.objects.exclude(region_id="230000000000").values_list("pk", "region_id"))
    channels = ["pc", "app", "qr", "hall", "self_service_terminal", "hotline", "sms"]
    kinds = ["case", "matter", "service_guide", "hall", "window", "staff"]
    rows = days * len(orgs) * len(channels) * len(kinds)
    per_row = max(represented // max(rows, 1), 1)
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO reviews_evaluationaggregate (day, region_code, city_code, organisation_id, hall_id, window_id,
                staff_id, matter_id, client_id, object_kind, channel, total, level1, level2, level3, level4, level5,
                invalid, rectified)
            SELECT CURRENT_DATE - d, o.region, substr(o.region, 1, 4) || '00000000', o.id, 0, 0, 0, 0, 0, k, c,
                   %s, %s * 5 / 10, %s * 3 / 10, %s - %s * 5 / 10 - %s * 3 / 10 - %s / 20 - %s / 20, %s / 20, %s / 20,
                   0, %s / 30
            FROM generate_series(0, %s - 1) AS d,
                 unnest(%s::bigint[], %s::text[]) AS o(id, region),
                 unnest(%s::text[]) AS c, unnest(%s::text[]) AS k
            ON CONFLICT DO NOTHING""",
                       [per_row] * 11 + [days, [o[0] for o in orgs], [o[1] for o in orgs], channels, kinds])
        cursor.execute("ANALYZE reviews_evaluationaggregate")
        cursor.execute("UPDATE reviews_overviewsnapshot SET dirty = true")  # written behind the refresh's back
        cursor.execute("SELECT count(*), coalesce(sum(total), 0) FROM reviews_evaluationaggregate")
        count, total = cursor.fetchone()
    print(f"aggregate rows {count}, evaluations represented {total}", file=sys.stderr)
    return total


def _post(port: int, body: bytes, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("POST", UPLOAD, body=body, headers={"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _uploader(port, seeded, batch, duration, worker, queue, env, run):
    import os

    import django

    os.environ.update(env)  # the signing helper imports Django models: configure Django in the child
    django.setup()
    from apps.reviews.services.clients import signed_headers

    start = time.monotonic()  # the clock starts after Django's setup, not while the child boots
    deadline = start + duration
    accepted = errors = n = 0
    items = seeded["items"]
    while time.monotonic() < deadline:
        evaluations = []
        for i in range(batch):
            hall, code = items[(n + i) % len(items)]
            level = 1 + (n + i) % 5
            evaluations.append({"external_id": f"{run}-w{worker}-{n + i}", "object_kind": "matter", "level": level,
                                "matter_code": code, "hall_number": hall,
                                "tags": [] if level < 4 else ["服务态度差" if level == 4 else "推诿扯皮"]})
        n += batch
        body = json.dumps({"evaluations": evaluations}).encode()
        headers = signed_headers(client_key=seeded["client_key"], secret=seeded["secret"], method="POST",
                                 path=UPLOAD, body=body)
        status, content = _post(port, body, headers)
        if status == 201:
            accepted += json.loads(content)["accepted"]
        else:
            errors += 1
            if errors < 3:
                print(f"upload HTTP {status}: {content[:200]!r}", file=sys.stderr)
    queue.put((accepted, errors, time.monotonic() - start))


def upload(port: int, seeded: dict, *, duration: float, batch: int, clients: int, env: dict) -> dict:
    queue = multiprocessing.Queue()
    run = f"r{int(time.time())}"  # external ids stay unique when a kept database is reused
    workers = [multiprocessing.Process(target=_uploader, args=(port, seeded, batch, duration, w, queue, env, run))
               for w in range(clients)]
    for w in workers:
        w.start()
    results = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    elapsed = max(r[2] for r in results)
    accepted = sum(r[0] for r in results)
    return {"accepted": accepted, "errors": sum(r[1] for r in results), "seconds": round(elapsed, 2),
            "evaluations_per_s": round(accepted / elapsed, 1)}


def timed_get(port: int, path: str, count: int) -> dict:
    times = []
    for _ in range(count):
        t = time.perf_counter()
        status, _ = baseline.get(port, path, {"Accept": "text/html"})
        times.append((time.perf_counter() - t) * 1000)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
    times.sort()
    return {"requests": count, "p50_ms": round(times[len(times) // 2], 2),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--represented", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--overview-requests", type=int, default=200)
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the database in this directory and reuse its seeded data on the next run")
    parser.add_argument("--step", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "seed":
        print(json.dumps(seed()))
        return 0
    if args.step == "aggregates":
        print(generate_aggregates(args.represented, args.days))
        return 0
    from devstack import embedded_postgres, embedded_redis, free_port, manage

    scratch = Path(tempfile.mkdtemp(prefix="govplatform-bench-reviews-"))
    pgdata = args.keep / "pgdata" if args.keep else scratch / "pgdata"
    seed_file = args.keep / "seed.json" if args.keep else None
    try:
        with embedded_postgres(pgdata, throwaway=args.keep is None) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = baseline.bench_env(db_url, redis_url)
            if args.keep:  # the kept rows were written with the first run's keys: reuse them
                env.update(keep_keys(args.keep, env))
            manage(env, "migrate", "--noinput")

            def step(*extra) -> str:
                return subprocess.run([sys.executable, __file__, *extra], env=env, cwd=ROOT, capture_output=True,
                                      text=True, check=True).stdout.splitlines()[-1]

            kept = json.loads(seed_file.read_text()) if seed_file and seed_file.exists() else None
            seeded = kept or json.loads(step("--step", "seed"))
            if seed_file and kept is None:  # saved at once: a later failure must not seed twice
                seed_file.write_text(json.dumps(seeded))
            port = free_port()
            server = baseline.start_gunicorn(env, port, 2, scratch / "gunicorn.log")
            # nice: in production the workers run on their own nodes; on the bench's shared 2 cores the web
            # tier gets the priority that placement would give it
            worker = subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "celery", "-A", "govplatform", "worker", "-Q", "sync",
                                       "--concurrency", "1", "--loglevel", "WARNING"], env=env, cwd=ROOT,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                ping = baseline.load(port, baseline.PING_PATH, duration=min(args.duration, 10), connections=8,
                                     headers={"Accept": "application/json"}, tool="python")
                up = upload(port, seeded, duration=args.duration, batch=args.batch, clients=args.clients, env=env)
                if not (kept or {}).get("represented"):
                    represented = int(step("--step", "aggregates", "--represented", str(args.represented),
                                           "--days", str(args.days)).split()[-1])
                    if seed_file:
                        seed_file.write_text(json.dumps({**seeded, "represented": represented}))
                else:
                    represented = kept["represented"]
                    print(f"kept database {args.keep}: {represented:,} evaluations represented", file=sys.stderr)
                for _ in range(10):  # warm every gunicorn worker (template loading), not just the first
                    baseline.get(port, "/reviews/", {})
                page = timed_get(port, "/reviews/", args.overview_requests)
                board = timed_get(port, "/reviews/board/?by=unit", 10)
                ping_seq = timed_get(port, baseline.PING_PATH, 30)
            finally:
                baseline.stop(worker)
                baseline.stop(server)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    summary = {"ping": ping, "upload": up, "overview": {**page, "evaluations_represented": represented},
               "ranking_board": board,
               "ping_sequential": ping_seq,
               "ratio": {"upload_eval_per_s_to_ping_rps": round(up["evaluations_per_s"] / ping["rps"], 3),
                         "overview_p50_to_ping_p50": round(page["p50_ms"] / ping_seq["p50_ms"], 2),
                         "overview_p99_to_ping_p99": round(page["p99_ms"] / ping_seq["p99_ms"], 2)}}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"\nupload: {up['evaluations_per_s']} evaluations/s (goal ≥ 500); "
          f"overview on {represented:,} evaluations: p50 {page['p50_ms']} ms, p99 {page['p99_ms']} ms (goal ≤ 200)")
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench-reviews.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

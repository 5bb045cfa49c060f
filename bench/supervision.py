"""Benchmark of supervision: a city bureau's to-do list API (filtered, paginated) and the overdue
dashboard page on 1,000,000 complaints across the province, at 20 connections; ratios to the
/api/v1/core/ping/ baseline measured in the same run.

    .venv/bin/python bench/supervision.py [--complaints 1000000] [--duration 10] [--connections 20] [--keep DIR]

1. Throwaway PostgreSQL + Redis (bin/devstack.py), migrate.
2. Seed (subprocess): the province and 13 cities, a business-environment bureau and one department
   per city, a Harbin bureau handler (view/handle/process complaints) with a DRF token and a
   session; one template complaint filed through the ORM, then N complaints generated in SQL from
   it (`generate_series`): channels cycled, 13 cities, one year of submission times, 3 % open
   (of which a third overdue), the rest concluded.
3. gunicorn (2 workers, prod settings); load from bench/baseline.py (`wrk` when installed, else
   its Python generator) against: ping; `GET /api/v1/supervision/complaints/?done=false&source=
   provincial&page=2` with the token (the city's to-do list: scope + two filters + COUNT + a page);
   `GET /portal/supervision/dashboard/` with the session (complaint and overdue statistics, read
   from the rollup the beat task rebuilds; the rebuild is run and timed first).
4. Prints req/s, p50, p99 per endpoint and the ratios; writes reports/bench-supervision.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import baseline  # noqa: E402

CITIES = ["230100000000", "230200000000", "230300000000", "230400000000", "230500000000", "230600000000",
          "230700000000", "230800000000", "230900000000", "231000000000", "231100000000", "231200000000",
          "232700000000"]
TODO_PATH = "/api/v1/supervision/complaints/?done=false&source=provincial&page=2"
DASHBOARD_PATH = "/portal/supervision/dashboard/"
PERMISSIONS = ("view_complaint", "handle_complaint", "process_complaint")


def seed() -> dict:
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Permission
    from rest_framework.authtoken.models import Token

    from apps.core.models import Organisation, OrganisationKind, Region
    from apps.core.validators import make_credit_code
    from apps.identity.models import Role, User, UserKind

    province, _ = Region.objects.get_or_create(code="230000000000", defaults={"name": "黑龙江省"})
    bureau_kind = OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU
    serial = iter(range(1, 100))

    def organisation(region, kind, name):
        code = make_credit_code("1", "1", region.code[:6], f"{next(serial) + 60_000_000:08d}0"[:9])
        return Organisation.objects.create(name=name, region=region, kind=kind, credit_code=code)

    organisation(province, bureau_kind, "黑龙江省营商环境建设监督局")
    departments = []
    for n, code in enumerate(CITIES):
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": f"城市{n}", "parent": province})
        organisation(region, bureau_kind, f"{region.name}营商环境建设监督局")
        departments.append(organisation(region, OrganisationKind.DEPARTMENT, f"{region.name}市场监督管理局").pk)
    harbin_bureau = Organisation.objects.get(region_id=CITIES[0], kind=bureau_kind)
    role, _ = Role.objects.get_or_create(code="bench_supervision", defaults={"name": "基准测试投诉处理"})
    role.permissions.add(*Permission.objects.filter(content_type__app_label="supervision", codename__in=PERMISSIONS))
    user, _ = User.objects.get_or_create(username="bench_sv", defaults={
        "kind": UserKind.STAFF, "organisation": harbin_bureau, "full_name": "基准测试"})
    user.roles.add(role)
    token, _ = Token.objects.get_or_create(user=user)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"token": token.key, "session": session.session_key, "cookie": settings.SESSION_COOKIE_NAME,
            "departments": departments}


def generate(count: int, departments: list[int]) -> int:
    """N complaints in SQL, every column copied from one ORM-made template except the varied ones."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from apps.supervision.models import Complaint

    template = Complaint.objects.create(
        source="provincial", kind="complaint", status="concluded", case_number="TEMPLATE", query_code="TPL0000000",
        title="模板", content="基准测试投诉内容", complainant_name="张三", complainant_mobile="13800138000",
        region_id=CITIES[0], submitted_at=timezone.now())
    # SQL with psycopg parameters: a literal modulo is written %% below.
    varied = {
        "case_number": "'BS' || lpad(g::text, 10, '0')",
        "query_code": "upper(substr(md5(g::text), 1, 10))",
        "source": "(ARRAY['provincial','national_platform','govcn','investment_express'])[1 + g %% 4]",
        # Open/closed from a hash of g, not g itself: with plain moduli the 3 % open rows never met
        # the rows of one city AND one source (g ≡ 0 mod 52 is never ≡ 97..99 mod 100).
        "status": "CASE WHEN abs(hashtext(g::text)) %% 100 < 97 THEN 'concluded' "
                  "WHEN g %% 3 = 0 THEN 'pending' ELSE 'assigned' END",
        "title": "'基准投诉' || g",
        "region_id": "(%(cities)s::text[])[1 + g %% 13]",
        "department_id": "(%(departments)s::bigint[])[1 + g %% 13]",
        "submitted_at": "now() - make_interval(mins => (g %% 525600))",
        "accepted_at": "now() - make_interval(mins => (g %% 525600)) + interval '1 hour'",
        "deadline": "now() - make_interval(mins => (g %% 525600)) + interval '7 days'",
        "concluded_at": "CASE WHEN abs(hashtext(g::text)) %% 100 < 97 "
                        "THEN now() - make_interval(mins => (g %% 525600)) "
                        "+ interval '3 days' END",
        "external_id": "''", "business_key": "''",
    }
    columns = [f.column for f in Complaint._meta.concrete_fields if f.column != "id"]
    select = ", ".join(varied.get(c, f"t.{c}") for c in columns)
    sql = (f"INSERT INTO supervision_complaint ({', '.join(columns)}) SELECT {select} "
           f"FROM generate_series(1, %(count)s) AS g, supervision_complaint AS t WHERE t.id = %(template)s")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"cities": CITIES, "departments": departments, "count": count, "template": template.pk})
        cursor.execute("DELETE FROM supervision_complaint WHERE id = %s", [template.pk])
        # what autovacuum would do to a table that grew by a million rows: statistics for the planner
        # and the visibility map that lets the open-complaint aggregates run as index-only scans
        cursor.execute("VACUUM ANALYZE supervision_complaint")
        cursor.execute("SELECT count(*) FROM supervision_complaint")
        return cursor.fetchone()[0]


KEY_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_DIGEST_KEY")


def keep_keys(directory: Path, env: dict) -> dict:
    """The keys a kept database was written with (saved on its first run)."""
    path = directory / "keys.json"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({name: env[name] for name in KEY_NAMES}))
    return json.loads(path.read_text())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the database in this directory and reuse its seeded data on the next run")
    parser.add_argument("--step", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--departments", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "seed":
        print(json.dumps(seed()))
        return 0
    if args.step == "refresh":     # what the 5-minute beat task does; timed as part of the report
        import django

        django.setup()
        from apps.supervision.services.statistics import complaint_statistics_refresh

        record = complaint_statistics_refresh()
        print(f"{record.cells:,} cells rebuilt in {record.duration_ms} ms")
        return 0
    if args.step == "generate":
        print(generate(args.complaints, [int(d) for d in args.departments.split(",")]))
        return 0
    from devstack import embedded_postgres, embedded_redis, free_port, manage

    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
    scratch = Path(tempfile.mkdtemp(prefix="govplatform-bench-supervision-"))
    pgdata = args.keep / "pgdata" if args.keep else scratch / "pgdata"
    seed_file = args.keep / "seed.json" if args.keep else None
    try:
        with embedded_postgres(pgdata, throwaway=args.keep is None) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = baseline.bench_env(db_url, redis_url)
            if args.keep:   # the kept rows are encrypted with the first run's field keys: reuse them
                env.update(keep_keys(args.keep, env))
            manage(env, "migrate", "--noinput")

            def step(*extra):
                return subprocess.run([sys.executable, __file__, *extra], env=env, cwd=ROOT, capture_output=True,
                                      text=True, check=True).stdout.splitlines()[-1]

            if seed_file and seed_file.exists():
                seeded = json.loads(seed_file.read_text())
                total = seeded["complaints"]
            else:
                seeded = json.loads(step("--step", "seed"))
                total = int(step("--step", "generate", "--complaints", str(args.complaints),
                                 "--departments", ",".join(map(str, seeded["departments"]))))
                if seed_file:
                    seed_file.write_text(json.dumps({**seeded, "complaints": total}))
            print(f"complaints: {total:,}; statistics rollup: {step('--step', 'refresh')}", file=sys.stderr)
            port = free_port()
            server = baseline.start_gunicorn(env, port, args.workers, scratch / "gunicorn.log")
            api = {"Authorization": f"Token {seeded['token']}", "Accept": "application/json"}
            page = {"Cookie": f"{seeded['cookie']}={seeded['session']}", "Accept": "text/html"}
            results = {}
            try:
                for name, path, headers in (("ping", baseline.PING_PATH, {"Accept": "application/json"}),
                                            ("todo_list", TODO_PATH, api), ("dashboard", DASHBOARD_PATH, page)):
                    status, body = baseline.get(port, path, headers)
                    if status != 200:
                        log = (scratch / "gunicorn.out").read_text(errors="replace")[-3000:]
                        raise SystemExit(f"{path}: HTTP {status} {body[:200]!r}\n{log}")
                    baseline.warm_up(port, path, headers, 10)
                    results[name] = baseline.load(port, path, duration=args.duration, connections=args.connections,
                                                  headers=headers, tool=tool)
            finally:
                baseline.stop(server)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ping = results["ping"]
    summary = {"complaints": total, "connections": args.connections, "tool": tool, **results,
               "ratio_to_ping": {name: {"rps": round(r["rps"] / ping["rps"], 3) if ping["rps"] else 0,
                                        "p99": round(r["p99_ms"] / ping["p99_ms"], 2) if ping["p99_ms"] else 0}
                                 for name, r in results.items() if name != "ping"}}
    print(f"\n{'endpoint':<14}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, row in results.items():
        print(f"{name:<14}{row['requests']:>10}{row['rps']:>10.1f}{row['p50_ms']:>10.2f}{row['p99_ms']:>10.2f}"
              f"{row['errors']:>8}")
    for name, ratio in summary["ratio_to_ping"].items():
        print(f"ratio {name}/ping: requests/s {ratio['rps']}, p99 {ratio['p99']}x   (goal: p99 ≤ 200 ms)")
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "bench-supervision.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

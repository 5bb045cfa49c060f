#!/usr/bin/env python3
"""Baseline benchmark: a trivial JSON view and a real scoped list API view, served by the same
gunicorn (prod settings, 2 workers, loopback only) under the same bounded load.

    .venv/bin/python bench/baseline.py                  # embedded PostgreSQL + Redis, seeded
    .venv/bin/python bench/baseline.py --duration 10 --connections 8
    .venv/bin/python bench/baseline.py --list-path /api/v1/identity/users/

Prints requests/s, p50 and p99 latency for both and the ratio list/baseline, and writes
reports/bench-baseline.json. Load comes from `wrk` when installed (apt-get install wrk),
otherwise from a small multi-process Python generator in this file. Every run is bounded
(at most 20 s per endpoint) and sends traffic only to 127.0.0.1.

DATABASE_URL / REDIS_URL point it at existing servers instead of throwaway embedded ones.
See docs/bench.md.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT))

MAX_DURATION = 20.0
HOST = "127.0.0.1"
PING_PATH = "/api/v1/core/ping/"
DEFAULT_LIST_PATH = "/api/v1/core/organisations/"
FALLBACK_LIST_PATHS = ("/api/v1/identity/users/", "/api/v1/core/audit-logs/")
BENCH_USERNAME = "bench_province_admin"
LIST_PERMISSIONS = ("core.view_organisation", "core.view_region", "identity.view_user", "core.view_auditlog")


# --- Seeding (runs in a child process with Django set up) ----------------------------------------

def seed(min_organisations: int) -> str:
    """Organisations (≥ min) and one provincial bureau staff user with a token; returns the token."""
    import django

    django.setup()
    from django.contrib.auth.models import Permission
    from rest_framework.authtoken.models import Token

    from apps.core.models import Organisation, OrganisationKind, Region
    from apps.identity.models import Role, User, UserKind

    province = Region.objects.filter(level=1).order_by("code").first()
    if province is None:
        province = Region.objects.create(code="230000000000", name="黑龙江省")
    bureau = (Organisation.objects.filter(region=province, kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU)
              .order_by("pk").first())
    if bureau is None:
        bureau = _create_organisations(province, 1, kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU)[0]
    missing = min_organisations - Organisation.objects.count()
    if missing > 0:
        _create_organisations(province, missing)
    role, _ = Role.objects.get_or_create(code="bench_viewer", defaults={"name": "基准测试只读"})
    for perm in LIST_PERMISSIONS:
        app_label, codename = perm.split(".")
        role.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    user, _ = User.objects.get_or_create(username=BENCH_USERNAME, defaults={
        "kind": UserKind.STAFF, "organisation": bureau, "full_name": "基准测试"})
    user.roles.add(role)
    token, _ = Token.objects.get_or_create(user=user)
    print(f"seeded: {Organisation.objects.count()} organisations, {User.objects.count()} users", file=sys.stderr)
    return token.key


def _create_organisations(province, count: int, kind=None):
    from django.db import connection

    from apps.core.models import Organisation, OrganisationKind, Region
    from apps.core.validators import make_credit_code

    regions = list(Region.objects.filter(code__startswith=province.prefix).order_by("code")[:400]) or [province]
    start = Organisation.objects.count() + 1
    organisations = []
    for number in range(start, start + count):
        region = regions[number % len(regions)]
        code = make_credit_code("1", "1", region.code[:6], f"{number + 50_000_000:08d}0"[:9])
        organisations.append(Organisation(
            name=f"{region.name}基准测试局{number}", short_name=f"基准{number}", region=region,
            kind=kind or OrganisationKind.DEPARTMENT, credit_code=code, tree_path=""))
    created = Organisation.objects.bulk_create(organisations, batch_size=1000)
    with connection.cursor() as cursor:     # tree_path is derived from the key (Organisation.save)
        cursor.execute("UPDATE core_organisation SET tree_path = '/' || id || '/' WHERE tree_path = ''")
    return created


# --- Load generation ----------------------------------------------------------------------------

def run_wrk(url: str, *, duration: float, connections: int, headers: dict, paths: list[str] | None = None,
            bodies: list[str] | None = None, expected_status: int | None = None) -> dict:
    """wrk at `url`; with `paths`, each request takes the next path of the list (a Lua script), so
    caches keyed by the path see a stream of different keys instead of one hot key. With `bodies`, each
    request is a POST of the next body (each body sent once: the bench must give more than the run can
    send) and, with `expected_status`, the answers with that status are counted ("expected")."""
    args = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{int(duration)}s",
            "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    scratch = []
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        scratch.append(script.name)
        if bodies:
            with tempfile.NamedTemporaryFile("w", suffix=".bodies", delete=False) as lines:
                scratch.append(lines.name)
                lines.write("\n".join(bodies) + "\n")
            script.write(_bodies_script(urlsplit(url).path, lines.name, expected_status or 0, min(2, connections)))
            args += ["-s", script.name]
        elif paths:
            script.write(_rotation_script(paths))
            args += ["-s", script.name]
    try:
        output = subprocess.run([*args, url], capture_output=True, text=True, timeout=duration + 30).stdout
    finally:
        for name in scratch:
            os.unlink(name)
    if "bodies exhausted" in output:
        raise SystemExit("wrk sent every prepared body: give the run more bodies")
    result = {"tool": "wrk", **parse_wrk(output)}
    expected = re.search(r"^expected-status-responses: (\d+)", output, re.M)
    if expected:
        result["expected"] = int(expected.group(1))
    return result


def _rotation_script(paths: list[str]) -> str:
    """A wrk script cycling through `paths`; each wrk thread starts at a different offset."""
    table = ",".join(json.dumps(path) for path in paths)
    return (f"local paths = {{{table}}}\n"
            "local counter = 0\n"
            "function setup(thread) counter = counter + 1; thread:set('offset', counter * 7919) end\n"
            "function init(args) counter = offset or 0 end\n"
            "function request()\n"
            "  counter = counter + 1\n"
            "  return wrk.format(nil, paths[(counter % #paths) + 1])\n"
            "end\n")


def _bodies_script(path: str, bodies_file: str, expected_status: int, threads: int) -> str:
    """A wrk script POSTing the lines of `bodies_file` once each (thread k sends lines k, k+threads, …)
    and counting the answers with `expected_status` over all threads."""
    return (f"local threads, started = {{}}, 0\n"
            "function setup(thread) started = started + 1; thread:set('first', started); "
            "table.insert(threads, thread) end\n"
            "function init(args)\n"
            f"  bodies = {{}}; for line in io.lines({json.dumps(bodies_file)}) do bodies[#bodies + 1] = line end\n"
            "  n = first; expected = 0; exhausted = 0\n"
            "end\n"
            "function request()\n"
            "  local body = bodies[n]\n"
            f"  if body == nil then exhausted = 1; body = bodies[first] else n = n + {threads} end\n"
            f"  return wrk.format('POST', {json.dumps(path)}, nil, body)\n"
            "end\n"
            f"function response(status) if status == {expected_status} then expected = expected + 1 end end\n"
            "function done()\n"
            "  local total, out = 0, 0\n"
            "  for _, t in ipairs(threads) do total = total + t:get('expected'); out = out + t:get('exhausted') end\n"
            "  io.write(string.format('expected-status-responses: %d\\n', total))\n"
            "  if out > 0 then io.write('bodies exhausted\\n') end\n"
            "end\n")


def _to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    p50 = _to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    broken = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    failed = (int(errors.group(1)) if errors else 0) + broken
    return {"requests": requests, "rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": failed, "socket_errors": broken}


def _worker(port: int, paths: list[str], headers: dict, threads: int, deadline: float, queue,
            offset: int = 0) -> None:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def loop(start: int):
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        mine, failed, n = [], 0, start
        while time.time() < deadline:
            started = time.perf_counter()
            n += 1
            try:
                connection.request("GET", paths[n % len(paths)], headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=5)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    pool = [threading.Thread(target=loop, args=(offset + 7919 * t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, errors[0]))


def run_python(port: int, path: str | list[str], *, duration: float, connections: int, headers: dict) -> dict:
    """Fallback generator: 2 processes × (connections/2) threads, each with its own connection; a list
    of paths is cycled through (each thread from a different offset)."""
    paths = [path] if isinstance(path, str) else list(path)
    processes = 2 if connections > 1 else 1
    per_process = max(1, connections // processes)
    queue = multiprocessing.Queue()
    started = time.time()
    deadline = started + duration
    workers = [multiprocessing.Process(target=_worker, args=(port, paths, headers, per_process, deadline, queue,
                                                             p * 104729))
               for p in range(processes)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=duration + 30) for _ in workers]
    for worker in workers:
        worker.join(10)
    elapsed = time.time() - started
    latencies = sorted(latency for batch, _ in results for latency in batch)
    errors = sum(failed for _, failed in results)
    if not latencies:
        return {"tool": "python", "requests": 0, "rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "errors": errors}
    return {"tool": "python", "requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50_ms": latencies[len(latencies) // 2] * 1000,
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, "errors": errors}


def load(port: int, path: str | list[str], *, duration: float, connections: int, headers: dict,
         tool: str) -> dict:
    """Load one path, or cycle through a list of paths (a cold-cache mix: warm-up touches only the first)."""
    paths = [path] if isinstance(path, str) else list(path)
    warm_up(port, paths[0], headers)
    if tool == "wrk":
        return run_wrk(f"http://{HOST}:{port}{paths[0]}", duration=duration, connections=connections,
                       headers=headers, paths=paths if len(paths) > 1 else None)
    return run_python(port, paths, duration=duration, connections=connections, headers=headers)


def warm_up(port: int, path: str, headers: dict, count: int = 30) -> None:
    for _ in range(count):
        status, _ = get(port, path, headers)
        if status != 200:
            return


def get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- Servers ------------------------------------------------------------------------------------

def collect_static(env: dict) -> None:
    """Pages under prod settings need the hashed static manifest (whitenoise)."""
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"], env=env,
                   cwd=ROOT, check=True)


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    collect_static(env)
    args = [sys.executable, "-m", "gunicorn", "govplatform.wsgi:application", "--bind", f"{HOST}:{port}",
            "--workers", str(workers), "--log-level", "warning", "--access-logfile", "/dev/null",
            "--error-logfile", str(log)]
    # Django's own log (tracebacks of a 500) goes to stderr: keep it next to gunicorn's.
    with open(log.with_suffix(".out"), "ab") as output:
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {log}")
        try:
            if get(port, PING_PATH, {})[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer {PING_PATH} within 30 s; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def choose_list_path(port: int, wanted: str, headers: dict) -> str:
    for path in (wanted, *FALLBACK_LIST_PATHS):
        status, body = get(port, path, headers)
        if status == 200:
            return path
        print(f"  {path}: HTTP {status} {body[:120]!r}; trying the next list", file=sys.stderr)
    raise SystemExit("No list API answered 200 for the bench user.")


def bench_env(db_url: str, redis_url: str) -> dict:
    from devstack import django_env

    env = django_env(db_url, redis_url, "govplatform.settings.prod")
    env.setdefault("SECRET_KEY", "bench-" + secrets.token_hex(24))
    env.setdefault("FIELD_ENCRYPTION_KEY", secrets.token_hex(16))
    env.setdefault("FIELD_DIGEST_KEY", secrets.token_hex(32))
    env.update(ALLOWED_HOSTS="127.0.0.1,localhost", DEBUG="False", PYTHONPATH=str(ROOT))
    return env


def prepare_database(env: dict, args) -> str:
    from devstack import manage

    manage(env, "migrate", "--noinput", *(["--run-syncdb"] if args.syncdb else []))
    has_seed = subprocess.run([sys.executable, str(ROOT / "manage.py"), "help", "seed_demo"], env=env, cwd=ROOT,
                              capture_output=True).returncode == 0
    if has_seed and not args.no_seed_demo:
        manage(env, "seed_demo", "--large")
    elif not has_seed:
        regions = subprocess.run([sys.executable, str(ROOT / "manage.py"), "help", "load_regions"], env=env,
                                 cwd=ROOT, capture_output=True).returncode == 0
        if regions:
            manage(env, "load_regions")
    result = subprocess.run([sys.executable, __file__, "--seed-only", str(args.organisations)], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    sys.stderr.write(result.stderr)
    return result.stdout.strip().splitlines()[-1]


def report(results: dict, list_path: str) -> dict:
    ping, listing = results["ping"], results["list"]
    ratio = {"rps": listing["rps"] / ping["rps"] if ping["rps"] else 0.0,
             "p99": listing["p99_ms"] / ping["p99_ms"] if ping["p99_ms"] else 0.0}
    print()
    print(f"{'endpoint':<44}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for label, path, row in (("baseline", PING_PATH, ping), ("list", list_path, listing)):
        print(f"{label + ' ' + path:<44}{row['requests']:>10}{row['rps']:>10.1f}{row['p50_ms']:>10.2f}"
              f"{row['p99_ms']:>10.2f}{row['errors']:>8}")
    print(f"\nratio list/baseline: requests/s {ratio['rps']:.3f}, p99 {ratio['p99']:.2f}x  (load: {ping['tool']})")
    return {"baseline_path": PING_PATH, "list_path": list_path, **results, "ratio": ratio}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list-path", default=DEFAULT_LIST_PATH, help="scoped list API to drive")
    parser.add_argument("--duration", type=float, default=10.0, help=f"seconds per endpoint (≤ {MAX_DURATION:.0f})")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--organisations", type=int, default=1000, help="minimum organisations to seed")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-seed-demo", action="store_true", help="skip `seed_demo --large` even if it exists")
    parser.add_argument("--syncdb", action="store_true", help="migrate --run-syncdb (apps without migrations)")
    parser.add_argument("--seed-only", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only is not None:
        print(seed(args.seed_only))
        return 0
    duration = max(1.0, min(args.duration, MAX_DURATION))
    tool = ("wrk" if shutil.which("wrk") else "python") if args.tool == "auto" else args.tool
    from devstack import embedded_postgres, embedded_redis, free_port

    scratch = Path(tempfile.mkdtemp(prefix="govplatform-bench-"))
    try:
        with embedded_postgres(scratch / "pgdata", throwaway=True) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = bench_env(db_url, redis_url)
            token = prepare_database(env, args)
            port = free_port()
            server = start_gunicorn(env, port, args.workers, scratch / "gunicorn.log")
            try:
                headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
                list_path = choose_list_path(port, args.list_path, headers)
                print(f"gunicorn {HOST}:{port}, {args.workers} workers; {args.connections} connections, "
                      f"{duration:.0f} s per endpoint, load by {tool}", file=sys.stderr)
                results = {"ping": load(port, PING_PATH, duration=duration, connections=args.connections,
                                        headers={"Accept": "application/json"}, tool=tool),
                           "list": load(port, list_path, duration=duration, connections=args.connections,
                                        headers=headers, tool=tool)}
            finally:
                stop(server)
            summary = report(results, list_path)
            (ROOT / "reports").mkdir(exist_ok=True)
            (ROOT / "reports" / "bench-baseline.json").write_text(json.dumps(summary, indent=2))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

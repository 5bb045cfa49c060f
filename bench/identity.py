#!/usr/bin/env python3
"""Identity benchmark (issue 4): OIDC token issuance and user-info calls against the foundation
baseline (the trivial ping view), on the same gunicorn (prod settings, loopback only).

    .venv/bin/python bench/identity.py                      # embedded PostgreSQL + Redis
    .venv/bin/python bench/identity.py --duration 8 --connections 8

Drives, each for --duration seconds (≤ 20) with the same load generator:
  * baseline      GET  /api/v1/core/ping/
  * oidc-token    POST /sso/o/token/  authorization_code → access + RS256 ID token (one code per request)
  * ticket-token  POST /sso/api/ticket/token  ticket → access token (ticket mode, one ticket per request)
  * oidc-userinfo GET  /sso/o/userinfo/  Bearer token
  * ticket-userinfo GET /sso/api/userinfo Bearer token
and prints requests/s, p50/p99 and the ratio to the baseline (target ≥ 0.40), writing
reports/bench-identity.json. Codes and tickets are minted before the run (they are single-use).
See docs/identity.md ("Benchmark") and docs/decisions/0205-identity-password-hashing.md.
"""
from __future__ import annotations

import argparse
import base64
import http.client
import json
import multiprocessing
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import baseline

HOST = "127.0.0.1"
REDIRECT = "https://bench.example/callback"
APP_CODE, APP_SECRET, CLIENT_SECRET = "bench-app", "bench-ticket-secret", "bench-oidc-secret"


# --- seeding (child process with Django) ---------------------------------------------------------

def seed(count: int) -> dict:
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import (
        get_access_token_model,
        get_application_model,
        get_grant_model,
    )

    from apps.identity.models import (
        ClientSystem,
        RealNameLevel,
        SsoTicket,
        SsoTicketKind,
        User,
        UserKind,
    )

    user, _ = User.objects.get_or_create(username="bench_citizen", defaults={
        "kind": UserKind.NATURAL_PERSON, "full_name": "基准测试", "real_name_level": RealNameLevel.VERIFIED})
    Application = get_application_model()
    app = Application.objects.filter(client_id=f"hlj-{APP_CODE}").first()
    if app is None:
        app = Application.objects.create(name="bench", client_id=f"hlj-{APP_CODE}", client_type="confidential",
                                         authorization_grant_type="authorization-code", client_secret=CLIENT_SECRET,
                                         redirect_uris=REDIRECT, skip_authorization=True, algorithm="RS256")
    client, _ = ClientSystem.objects.get_or_create(code=APP_CODE, defaults={
        "name": "基准测试应用", "owner": "bench", "kind": "third_party", "client_id": app.client_id,
        "service_url": REDIRECT, "ticket_secret": APP_SECRET})
    expires = timezone.now() + timedelta(hours=1)
    grants = [get_grant_model()(application=app, user=user, code=secrets.token_urlsafe(24), expires=expires,
                                redirect_uri=REDIRECT, scope="openid profile", nonce="n")
              for _ in range(count)]
    get_grant_model().objects.bulk_create(grants)
    tickets = [SsoTicket(ticket=f"TK-{secrets.token_urlsafe(32)}", kind=SsoTicketKind.APP, client=client, user=user,
                         expires_at=expires) for _ in range(count)]
    SsoTicket.objects.bulk_create(tickets)
    token = get_access_token_model().objects.create(user=user, application=app, token=secrets.token_urlsafe(32),
                                                    scope="openid profile", expires=expires)
    return {"codes": [g.code for g in grants], "tickets": [t.ticket for t in tickets], "bearer": token.token}


# --- load: GET or POST, per-request bodies for single-use codes ----------------------------------

def _worker(port, method, path, headers, bodies, threads, deadline, queue):
    latencies, errors, lock = [], [0], threading.Lock()
    source = iter(bodies) if bodies is not None else None

    def loop():
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        mine, failed = [], 0
        while time.time() < deadline:
            body = None
            if source is not None:
                with lock:
                    body = next(source, None)
                if body is None:
                    break
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    pool = [threading.Thread(target=loop) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, errors[0]))


def drive(port, method, path, *, headers, bodies=None, duration, connections) -> dict:
    processes = 2 if connections > 1 else 1
    per_process = max(1, connections // processes)
    slices = [bodies[i::processes] for i in range(processes)] if bodies is not None else [None] * processes
    queue = multiprocessing.Queue()
    started = time.time()
    workers = [multiprocessing.Process(target=_worker, args=(port, method, path, headers, slices[i], per_process,
                                                             started + duration, queue)) for i in range(processes)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=duration + 60) for _ in workers]
    for worker in workers:
        worker.join(10)
    elapsed = time.time() - started
    latencies = sorted(x for batch, _ in results for x in batch)
    errors = sum(e for _, e in results)
    if not latencies:
        return {"requests": 0, "rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "errors": errors}
    return {"requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50_ms": latencies[len(latencies) // 2] * 1000,
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, "errors": errors}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--codes", type=int, default=15000,
                        help="single-use codes / tickets to mint (enough that each phase runs its whole duration)")
    parser.add_argument("--only", action="append", default=None, metavar="RUN",
                        help="run only this endpoint run (repeatable; ping still runs first and last)")
    parser.add_argument("--seed-only", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only is not None:
        print(json.dumps(seed(args.seed_only)))
        return 0
    duration = max(1.0, min(args.duration, baseline.MAX_DURATION))
    import subprocess

    from devstack import embedded_postgres, embedded_redis, free_port, manage

    scratch = Path(tempfile.mkdtemp(prefix="govplatform-bench-identity-"))
    try:
        with embedded_postgres(scratch / "pgdata", throwaway=True) as db_url, \
                embedded_redis(scratch / "redis") as redis_url:
            env = baseline.bench_env(db_url, redis_url)
            env.setdefault("OIDC_RSA_PRIVATE_KEY", _rsa_key())
            manage(env, "migrate", "--noinput")
            out = subprocess.run([sys.executable, __file__, "--seed-only", str(args.codes)], env=env, cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
            data = json.loads(out.strip().splitlines()[-1])
            port = free_port()
            server = baseline.start_gunicorn(env, port, args.workers, scratch / "gunicorn.log")
            basic = base64.b64encode(f"hlj-{APP_CODE}:{CLIENT_SECRET}".encode()).decode()
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            runs = {
                "baseline": ("GET", baseline.PING_PATH, {"Accept": "application/json"}, None),
                "oidc-token": ("POST", "/sso/o/token/", {**form, "Authorization": f"Basic {basic}"},
                               [urlencode({"grant_type": "authorization_code", "code": c, "redirect_uri": REDIRECT})
                                for c in data["codes"]]),
                "ticket-token": ("POST", "/sso/api/ticket/token", form,
                                 [urlencode({"app_id": APP_CODE, "app_secret": APP_SECRET, "ticket": t})
                                  for t in data["tickets"]]),
                "oidc-userinfo": ("GET", "/sso/o/userinfo/", {"Authorization": f"Bearer {data['bearer']}"}, None),
                "ticket-userinfo": ("GET", "/sso/api/userinfo", {"Authorization": f"Bearer {data['bearer']}"}, None),
            }
            if args.only:
                runs = {name: run for name, run in runs.items() if name == "baseline" or name in args.only}
            results = {}
            try:
                # ping first and last: the baseline is their mean (one ping run alone varies ±20 % here);
                # untimed pings first, or the first timed run pays the workers' cold start
                baseline.warm_up(port, baseline.PING_PATH, {"Accept": "application/json"}, count=300)
                for name, (method, path, headers, bodies) in [*runs.items(), ("baseline-after", runs["baseline"])]:
                    results[name] = {"path": path, **drive(port, method, path, headers=headers, bodies=bodies,
                                                           duration=duration, connections=args.connections)}
            finally:
                baseline.stop(server)
        ping = (results["baseline"]["rps"] + results["baseline-after"]["rps"]) / 2 or 1.0
        print(f"\nbaseline = mean of ping before and after the endpoints: {ping:.1f} req/s")
        print(f"\n{'run':<18}{'path':<26}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}{'ratio':>7}")
        for name, row in results.items():
            row["ratio"] = row["rps"] / ping
            print(f"{name:<18}{row['path']:<26}{row['requests']:>9}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}"
                  f"{row['p99_ms']:>9.1f}{row['errors']:>7}{row['ratio']:>7.2f}")
        (ROOT / "reports").mkdir(exist_ok=True)
        (ROOT / "reports" / "bench-identity.json").write_text(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

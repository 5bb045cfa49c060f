"""ANA-0.2, its software part: the visualisation interface answers IPv4 and IPv6 clients when served by the
production web command of docker-compose.yml (the cloud migration itself is operations, docs/deployment.md)."""
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml

from tests.test_deployment import ROOT, _free_dual_stack_port


@pytest.mark.spec("ANA-0.2", "ANA-0.1")
def test_the_embed_interface_answers_both_ip_stacks(tmp_path):
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
            while True:
                try:
                    urllib.request.urlopen(f"http://{host}:{port}/api/v1/analytics/embed/charts/2.1/", timeout=5)
                except urllib.error.HTTPError as refusal:        # no key: refused, over either stack
                    answers[host] = (refusal.code, refusal.read().decode())
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"gunicorn did not answer on {host}: {log.read_text()[-2000:]}")
                    time.sleep(0.2)
        assert {host: code for host, (code, _body) in answers.items()} == {"127.0.0.1": 401, "[::1]": 401}
        assert all("缺少有效的嵌入密钥" in body for _code, body in answers.values())
    finally:
        server.terminate()
        server.wait(15)

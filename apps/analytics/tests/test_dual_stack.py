"""ANA-0.2, its software part: the visualisation interface answers IPv4 and IPv6 clients when served by the
production web command of docker-compose.yml (the cloud migration itself is operations, docs/deployment.md)."""
import pytest

from tests.test_deployment import answers_on_both_stacks


@pytest.mark.spec("ANA-0.2", "ANA-0.1")
def test_the_embed_interface_answers_both_ip_stacks(tmp_path):
    answers = answers_on_both_stacks(tmp_path, "/api/v1/analytics/embed/charts/2.1/")
    assert {host: status for host, (status, _body) in answers.items()} == {"127.0.0.1": 401, "[::1]": 401}
    assert all("缺少有效的嵌入密钥" in body.decode() for _status, body in answers.values())   # no key: refused

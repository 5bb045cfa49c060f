"""统一标准规范 (APP-1 ★): the development, page, UI-control and application-access specifications are published
in the developer centre, and what they state is what the platform does: the gateway refuses with the published
codes and statuses, the review checks the published page rules, the encryption methods are the app's choices."""
import re
from html import unescape

import pytest

from apps.mobile.models import EncryptionMethod
from apps.mobile.standards import GATEWAY_ERRORS
from apps.mobile.tests.conftest import gateway_call
from apps.mobile.tests.test_gateway import bound  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
URL = "/portal/mobile/standards/"


def published_errors(page: str) -> dict[str, int]:
    table = page.split('data-testid="gateway-errors"', 1)[1].split("</table>", 1)[0]
    return {code: int(status) for code, status in re.findall(r"<code>([a-z_]+)</code></td><td>(\d{3})</td>", table)}


@pytest.mark.spec("APP-1")
def test_the_four_specifications_are_published_with_the_rules_the_platform_enforces(client, units):
    client.force_login(units["harbin"])
    page = unescape(client.get(URL).content.decode())
    for code, title in (("development", "开发规范"), ("page", "页面规范"), ("ui", "UI 控件规范"), ("access", "应用接入规范")):
        assert f'data-testid="spec-{code}"' in page and title in page
    assert published_errors(page) == {code: status for code, (status, _m) in GATEWAY_ERRORS.items()}
    for _value, label in EncryptionMethod.choices:                 # every encryption method an app may choose
        assert str(label) in page
    for check in ("连通性检测", "安全检测", "兼容性检测", "压力检测", "width=device-width", "X-Frame-Options"):
        assert check in page
    assert "IPv4/IPv6" in page and "X-App-Key" in page
    assert URL in client.get("/portal/mobile/").content.decode()   # reachable from the developer centre


@pytest.mark.spec("APP-1", "APP-3.7")
def test_the_gateway_refuses_with_the_published_codes(client, units, upstream, bound):  # noqa: F811
    resource, app, key, _subscription = bound
    expected = {code: status for code, (status, _m) in GATEWAY_ERRORS.items()}
    seen = {}
    for wrong_key, code in (("wrong", resource.code), (key, "no-such-resource"), (key, resource.code)):
        response, payload = gateway_call(client, app, wrong_key, code)
        seen[payload["code"]] = response.status_code
    plain, payload = gateway_call(client, app, key, resource.code, encrypt=False)   # an SM4 app sending plaintext
    seen[payload["code"]] = plain.status_code
    assert set(seen) == {"app_unauthenticated", "resource_not_found", "subscription_not_approved",
                         "encryption_required"}
    assert all(expected[code] == status for code, status in seen.items())

"""OPS-12.1: an administrator builds a personal big screen from the module catalogue with a title and
logo, arranges it (drag and drop in the browser, the layout saved as JSON), projects it full-screen;
another administrator neither sees nor opens it; bad layouts and bad logos are refused."""
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.core.tests.factories import grant
from apps.ops.models import Alert, MonitoringScreen

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def admins(ops_team):
    return grant(ops_team["manager"], "ops.use_screens"), grant(ops_team["analyst"], "ops.use_screens")


@pytest.mark.spec("OPS-12.1")
def test_personal_screen_with_title_logo_and_arranged_modules(client, admins, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mine, other = admins
    Alert.objects.create(fingerprint="s1", title="大屏告警样例", origin="keyword", category="device", severity="high")
    client.force_login(mine)
    layout = [{"module": "recent_alerts", "width": 2}, {"module": "alert_severity", "width": 1},
              {"module": "work_orders", "width": 3}]
    response = client.post(reverse("ops:screen-create"), {"title": "省政务云安全态势", "refresh_seconds": 30,
                                                          "layout": json.dumps(layout), "logo": _png()})
    assert response.status_code == 302
    screen = MonitoringScreen.objects.get()
    assert screen.owner == mine and screen.layout == layout and screen.logo.name.startswith("ops/screens/")
    page = client.get(reverse("ops:screen-display", args=[screen.pk])).content.decode()
    assert 'data-testid="screen-title">省政务云安全态势<' in page and screen.logo.url in page
    order = [page.index(f'data-module="{item["module"]}"') for item in layout]
    assert order == sorted(order)                                # modules in the saved order
    assert "大屏告警样例" in page and 'class="module w2"' in page and 'http-equiv="refresh" content="30"' in page

    client.force_login(other)
    assert client.get(reverse("ops:screen-display", args=[screen.pk])).status_code == 404
    assert client.post(reverse("ops:screen-edit", args=[screen.pk]), {"title": "x", "refresh_seconds": 60,
                                                                        "layout": "[]"}).status_code == 404
    assert "省政务云安全态势" not in client.get(reverse("ops:screens")).content.decode()
    assert MonitoringScreen.objects.get().title == "省政务云安全态势"


@pytest.mark.spec("OPS-12.1")
def test_bad_layout_or_logo_is_refused_and_nothing_saved(client, admins, ops_team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admins[0])
    for layout in ('[{"module": "rm -rf", "width": 1}]', '[{"module": "work_orders", "width": 9}]', "not json"):
        response = client.post(reverse("ops:screen-create"), {"title": "t", "refresh_seconds": 60, "layout": layout})
        assert response.status_code == 400, layout
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(reverse("ops:screen-create"), {"title": "t", "refresh_seconds": 60, "layout": "[]",
                                                           "logo": fake})
    assert response.status_code == 400 and "标识必须是" in response.content.decode()
    assert not MonitoringScreen.objects.exists()
    client.force_login(ops_team["engineer"])                      # no screen permission
    assert client.get(reverse("ops:screens")).status_code == 403

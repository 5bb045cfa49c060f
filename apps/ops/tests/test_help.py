"""OPS-8.3: every registered portal menu page carries a help button that opens that page's help topic."""
import pytest
from django.urls import reverse

from apps.core.navigation import _menu
from apps.ops.models import HelpTopic

pytestmark = pytest.mark.django_db


@pytest.mark.spec("OPS-8.3")
def test_every_menu_page_has_a_working_help_entry(client, orgs):
    from apps.identity.tests.factories import StaffFactory

    client.force_login(StaffFactory(username="help_root", is_superuser=True, organisation=orgs["province"]))
    admin_client = client
    failures = []
    for url_name, entry in sorted(_menu.items()):
        response = admin_client.get(entry.url)
        if response.status_code != 200:
            failures.append((url_name, "page", response.status_code))
            continue
        help_href = f'{reverse("ops:help")}?page={url_name.replace(":", "%3A")}'
        if help_href not in response.content.decode():
            failures.append((url_name, "no help link", help_href))
            continue
        topic = admin_client.get(reverse("ops:help"), {"page": url_name})
        if topic.status_code != 200 or str(entry.label) not in topic.content.decode():
            failures.append((url_name, "topic", topic.status_code))
    assert not failures, failures


@pytest.mark.spec("OPS-8.3")
def test_written_topic_overrides_and_unknown_page_is_404(client, ops_team):
    client.force_login(ops_team["analyst"])
    page = client.get(reverse("ops:help"), {"page": "ops:alerts"}).content.decode()
    assert "11 个快速筛选器" in page and "典型案例" in page
    HelpTopic.objects.create(url_name="ops:alerts", title="安全告警（本地版）", body="按本单位流程研判。")
    assert "按本单位流程研判" in client.get(reverse("ops:help"), {"page": "ops:alerts"}).content.decode()
    assert client.get(reverse("ops:help"), {"page": "nope:nothing"}).status_code == 404
    assert "安全告警（本地版）" in client.get(reverse("ops:help")).content.decode()
    client.logout()
    assert client.get(reverse("ops:help")).status_code == 302

"""`make run` fills the national item library simulator with other provinces' elements for the codes we
publish, so the demo's comparison page (MAT-5.2.1) compares for real over HTTP."""
import pytest
from django.urls import reverse

from apps.matters.management.commands.run_matters_peer_simulators import PROVINCES, other_provinces_rows

from .test_national_comparison import bureau, item  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_demo_rows_cover_every_published_code_and_feed_the_comparison_page(client, bureau, item,  # noqa: F811
                                                                           national_library):
    rows = other_provinces_rows()
    assert {(r["basic_code"], r["province"]) for r in rows} == {(item.basic_code, p) for p in PROVINCES}
    assert rows == other_provinces_rows()                       # stable between starts
    assert all(r["committed_limit_working_days"] >= 0 and r["visits"] in (0, 1) for r in rows)
    national_library.publish(rows)
    client.force_login(bureau)
    html = client.get(reverse("matters:optimisation"), {"national": "1"}).content.decode()
    assert national_library.queries == 1 and f'data-national="{item.basic_code}"' in html
    assert "全国事项库暂时无法访问" not in html
    assert any(p in html for p in PROVINCES)                    # the best province is named

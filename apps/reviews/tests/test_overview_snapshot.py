"""The public overview and the portal statistics header read stored per-region snapshots
(decision 0608): one row per view, figures move after new evaluations + the incremental refresh,
the page says when they were computed, and a city viewer gets the city's snapshot."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.reviews.models import OverviewSnapshot
from apps.reviews.services.overview import overview_refresh
from apps.reviews.services.statistics import aggregate_adjust_invalid, aggregate_pending
from apps.reviews.tests.factories import HARBIN, QIQIHAR, handler, login, rate

pytestmark = pytest.mark.django_db
PROVINCE = "230000000000"


def figures(page: str) -> tuple[str, ...]:
    """(评价量, 好评数, 好评率, 差评数) as the overview shows them."""
    block = page.split('data-testid="overview"')[1].split("</div>\n  </div>")[0]
    return tuple(part.split("</strong>")[0] for part in block.split("<strong>")[1:5])


def overview(http, region=None) -> str:
    response = http.get(reverse("reviews-public:overview"), {"region": region} if region else {})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.spec("REV-12.1", "REV-13.2.1")
def test_overview_reads_one_snapshot_and_follows_the_incremental_refresh(province, django_assert_max_num_queries):
    http = Client()
    assert figures(overview(http)) == ("9", "4", "44.4%", "3")  # computed and stored on the first view
    assert figures(overview(http, HARBIN)) == ("5", "4", "80.0%", "1")
    with CaptureQueriesContext(connection) as queries:
        page = overview(http)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= 6, sql  # region, snapshot, children, showcase, announcements, columns
    tables = ('"reviews_evaluationaggregate"', 'FROM "acceptance_', 'JOIN "acceptance_')
    assert not [s for s in sql if any(t in s for t in tables)], sql  # no aggregate table, no hall counts
    assert "数据更新于" in page.split('data-testid="computed-at"')[1][:40]

    h = province.harbin
    rate("hall", h.hall, 1)
    rate("window", h.window, 2)
    rate("window", h.window, 5)
    assert figures(overview(http)) == ("9", "4", "44.4%", "3")  # not aggregated yet
    aggregate_pending()
    dirty = set(OverviewSnapshot.objects.filter(dirty=True).values_list("region_code", flat=True))
    assert dirty == {PROVINCE, HARBIN}  # the touched region and its ancestors that have a snapshot
    assert figures(overview(http)) == ("9", "4", "44.4%", "3")  # stale until the refresh runs
    assert overview_refresh() == 2
    assert figures(overview(http)) == ("12", "6", "50.0%", "4")
    assert figures(overview(http, HARBIN)) == ("8", "6", "75.0%", "2")
    assert figures(overview(http, QIQIHAR)) == ("4", "0", "0.0%", "2")
    assert not OverviewSnapshot.objects.filter(dirty=True).exists()

    # an upheld appeal takes the bad review out of the counts: Qiqihar and the province move
    aggregate_adjust_invalid(evaluation=province.q_bad)
    assert overview_refresh() == 2
    assert figures(overview(http)) == ("11", "6", "54.5%", "3")
    assert figures(overview(http, QIQIHAR)) == ("3", "0", "0.0%", "1")


def test_refresh_waits_for_the_minimum_age_and_beat_renews_old_snapshots(province, settings):
    from apps.reviews import tasks

    http = Client()
    overview(http)
    settings.REVIEWS_OVERVIEW_MIN_AGE = 30
    rate("hall", province.harbin.hall, 1)
    tasks.aggregate_pending()  # the Celery task: aggregates, then refreshes what is due
    assert OverviewSnapshot.objects.get(pk=PROVINCE).dirty  # computed seconds ago: waits
    assert figures(overview(http))[0] == "9"
    OverviewSnapshot.objects.update(computed_at=timezone.now() - timedelta(seconds=31))
    tasks.aggregate_pending()
    assert figures(overview(http))[0] == "10"
    # beat also renews snapshots nobody flagged for an hour (hall counts change without evaluations)
    assert tasks.overview_refresh() == 0
    OverviewSnapshot.objects.update(computed_at=timezone.now() - timedelta(hours=2))
    assert tasks.overview_refresh() == 1


def test_portal_statistics_header_is_the_viewers_region_snapshot(province, orgs):
    city = login(handler(orgs["harbin"], "harbin_stats"))
    page = city.get(reverse("reviews:statistics"), {"region": QIQIHAR}).content.decode()  # out of scope → home
    header = page.split('class="stat"><strong>')[1].split("</strong>")[0]
    assert header == "5" and 'data-testid="computed-at"' in page
    assert OverviewSnapshot.objects.filter(pk=HARBIN).exists() and not OverviewSnapshot.objects.filter(
        pk=QIQIHAR).exists()
    whole = login(handler(orgs["province"], "prov_stats2")).get(reverse("reviews:statistics")).content.decode()
    assert whole.split('class="stat"><strong>')[1].split("</strong>")[0] == "9"

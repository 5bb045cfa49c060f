"""Profiles of ONE integrator upload batch and ONE province overview request (cProfile +
CaptureQueriesContext): the statement count of a batch does not grow with its size (bulk insert,
one transaction, no per-row queries); the overview and the integrator/access counts read only the
pre-aggregated tables. bench/reviews.py measures the real throughput; these keep its shape."""
import cProfile
import io
import pstats

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.acceptance.tests import factories as acc
from apps.reviews.models import BadReviewDisposal, ClientAccessDaily, Evaluation, HotlineWorkOrder
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import call, handler, login
from apps.reviews.tests.factories import client as make_client

pytestmark = pytest.mark.django_db
UPLOAD = "/api/v1/reviews/open/evaluations/"


def rows(world, items, n, start=0):
    """n uploaded evaluations over several items and the hall's window and staff; 2 in 5 are bad."""
    out = []
    for i in range(start, start + n):
        level = 1 + i % 5
        out.append({"external_id": f"P-{i}", "object_kind": "matter", "level": level,
                    "matter_code": items[i % len(items)].implementation_code, "hall_number": world.hall.hall_number,
                    "window_number": world.window.window_number, "staff_number": world.staff.staff_number,
                    "tags": [] if level < 4 else ["服务态度差" if level == 4 else "推诿扯皮"],
                    "indicators": ["服务效率:好"], "comment": "很好" if i % 2 else ""})
    return out


def profiled_upload(http, app, secret, body):
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        response = call(http, app, secret, "POST", UPLOAD, {"evaluations": body})
        profiler.disable()
    assert response.status_code == 201, response.content
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    return queries, out.getvalue(), stats


def cumulative(stats: pstats.Stats, function: str) -> float:
    """Cumulative seconds spent in `function` (by name) during the profiled call."""
    return sum(row[3] for (_file, _line, name), row in stats.stats.items() if name == function)


def one_transaction(sql: list[str]) -> list[str]:
    """The writes of the batch that fall OUTSIDE the (save)point opened just before the
    evaluations' bulk insert — empty when the whole batch is one transaction."""
    insert = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "reviews_evaluation"'))
    opened = next(s for s in reversed(sql[:insert]) if s.startswith("SAVEPOINT"))
    name = opened.split()[1]
    release = next(i for i, s in enumerate(sql) if i > insert and s.startswith(f"RELEASE SAVEPOINT {name}"))
    batch_tables = ("reviews_evaluation", "reviews_badreviewdisposal", "reviews_hotlineworkorder",
                    "core_statetransition", "core_outboxmessage")
    start = sql.index(opened)
    return [s for i, s in enumerate(sql) if s.startswith("INSERT") and s.split()[2].strip('"') in batch_tables
            and not start < i < release]


def test_one_upload_batch_is_a_fixed_number_of_statements(world, staff, capsys):
    app, secret = make_client(world.org, staff["province"])
    items = [world.item] + [acc.matter(world.org, f"事项{n}") for n in range(3)]
    http = Client()
    profiled_upload(http, app, secret, rows(world, items, 5, start=100))  # warm per-process caches
    small, _, _ = profiled_upload(http, app, secret, rows(world, items, 5))
    large, profile, stats = profiled_upload(http, app, secret, rows(world, items, 50, start=5))
    assert Evaluation.objects.count() == 60
    assert BadReviewDisposal.objects.count() == 24 and HotlineWorkOrder.objects.count() == 24
    sql = [q["sql"][:160] for q in large.captured_queries]
    # same statements for 5 and for 50 rows: lookups per kind, bulk inserts, one outbox row per peer
    assert len(large) == len(small), "\n".join(sql)
    assert len(large) <= 24, "\n".join(sql)  # 26 before the application was remembered (decision 0609)
    assert not [s for s in sql if s.startswith("SELECT") and ('"reviews_reviewclient"' in s
                                                            or '"reviews_openinterface"' in s)], sql
    assert one_transaction([q["sql"] for q in large.captured_queries]) == []  # all or nothing, one transaction
    # the signature check (HMAC-SHA256 of the body + two lookups) is a small part of the request
    assert cumulative(stats, "authenticate_client") < 0.25 * stats.total_tt, profile
    inserted = sorted(s.split()[2].strip('"') for s in sql if s.startswith("INSERT"))
    assert inserted == ["core_outboxmessage", "core_outboxmessage", "core_statetransition",  # national + hotline
                        "reviews_badreviewdisposal", "reviews_clientaccessdaily", "reviews_clientaccesslog",
                        "reviews_evaluation", "reviews_hotlineworkorder"], inserted
    with capsys.disabled():
        print(f"\n--- one upload batch of 50: {len(large)} statements; signature check "
              f"{1000 * cumulative(stats, 'authenticate_client'):.1f} ms of {1000 * stats.total_tt:.1f} ms ---\n"
              + profile[:8000])


def test_integrator_and_access_counts_read_the_rollups(world, staff):
    app, secret = make_client(world.org, staff["province"])
    http = Client()
    call(http, app, secret, "POST", UPLOAD, {"evaluations": rows(world, [world.item], 3)})
    call(http, app, "wrong", "POST", UPLOAD, {"evaluations": rows(world, [world.item], 1, start=9)})
    aggregate_pending()
    daily = ClientAccessDaily.objects.get(client_id=app.pk, category="evaluation_upload")
    assert (daily.calls, daily.refused, daily.records) == (2, 1, 3)
    viewer = handler(world.org, "perf_viewer")
    with CaptureQueriesContext(connection) as queries:
        page = login(viewer).get(reverse("reviews:workspace")).content.decode()
    ranking = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert ranking and all("reviews_evaluationaggregate" in s for s in ranking), ranking
    assert "哈尔滨市大厅评价系统" in page and ">3<" in page
    with CaptureQueriesContext(connection) as queries:
        monitor = login(viewer).get(reverse("reviews:access-monitor")).content.decode()
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert grouped and all("reviews_clientaccessdaily" in s for s in grouped), grouped
    calls = monitor.split('data-testid="calls"')[1].split("</table>")[0]
    assert "评价数据实时上传" in calls and "<td>2</td><td>1</td>" in calls


def test_one_overview_request_reads_only_the_aggregate(world, staff, capsys, django_assert_max_num_queries):
    from apps.reviews.tests.factories import rate

    for level in (1, 2, 4):
        rate("window", world.window, level)
    rate("staff", world.staff, 1, channel="qr")
    aggregate_pending()
    http = Client()
    http.get(reverse("reviews-public:overview"))  # warm caches (content types, calendar)
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as few:
        profiler.enable()
        response = http.get(reverse("reviews-public:overview"))
        profiler.disable()
    assert response.status_code == 200
    for level in (1, 3, 5, 2):
        rate("staff", world.staff, level, channel="qr")
    aggregate_pending()
    with CaptureQueriesContext(connection) as more:
        http.get(reverse("reviews-public:overview"))
    assert len(more) == len(few)
    touching = [q["sql"] for q in few.captured_queries if '"reviews_evaluation"' in q["sql"]]
    assert not [s for s in touching if "reviews_evaluationaggregate" not in s and "showcase" not in s], touching
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(12)
    with capsys.disabled():
        print(f"\n--- one overview request: {len(few)} statements ---\n" + out.getvalue()[:2500])

"""The integrator upload's per-request overhead and its behaviour with Redis down (decision 0609):
the application is remembered per process under a cache generation, a batch sends ONE Celery
message, and with Redis unreachable (cache and broker) the batch is still accepted at once,
committed, and counted and checked by the beat sweep later."""
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.reviews import tasks
from apps.reviews.models import (
    AbnormalFlag,
    Evaluation,
    EvaluationAggregate,
    ReviewClient,
    SensitiveWord,
)
from apps.reviews.services import follow_up
from apps.reviews.services.clients import client_rotate_secret
from apps.reviews.tests.factories import call
from apps.reviews.tests.factories import client as make_client
from apps.reviews.tests.test_performance import UPLOAD, rows

pytestmark = pytest.mark.django_db
UNREACHABLE_REDIS = "redis://127.0.0.1:9"  # nothing listens on the discard port


def lookups(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries
            if '"reviews_reviewclient"' in q["sql"] and q["sql"].startswith("SELECT")
            or '"reviews_openinterface"' in q["sql"]]


def test_application_is_remembered_until_it_changes(world, staff):
    app, secret = make_client(world.org, staff["province"])
    http = Client()
    with CaptureQueriesContext(connection) as first:
        assert call(http, app, secret, "POST", UPLOAD, {"evaluations": rows(world, [world.item], 2)}).status_code == 201
    with CaptureQueriesContext(connection) as second:
        assert call(http, app, secret, "POST", UPLOAD,  # same levels (1, 2) as the first batch
                    {"evaluations": rows(world, [world.item], 2, start=5)}).status_code == 201
    assert len(lookups(first)) == 2 and lookups(second) == []
    assert len(second) == len(first) - 2
    # a new secret takes effect at once: the old one is refused, nothing written
    new_secret = client_rotate_secret(client=app, actor=staff["province"])
    refused = call(http, app, secret, "POST", UPLOAD, {"evaluations": rows(world, [world.item], 1, start=10)})
    assert refused.status_code == 403 and "签名校验失败" in refused.content.decode()
    assert call(http, app, new_secret, "POST", UPLOAD,
                {"evaluations": rows(world, [world.item], 1, start=11)}).status_code == 201
    assert Evaluation.objects.count() == 5


def test_admin_disabling_an_application_is_seen_by_the_next_call(world, staff, admin_client,
                                                                 django_capture_on_commit_callbacks):
    app, secret = make_client(world.org, staff["province"])
    http = Client()
    assert call(http, app, secret, "POST", UPLOAD, {"evaluations": rows(world, [world.item], 1)}).status_code == 201
    data = {"name": app.name, "organisation": app.organisation_id, "channel": app.channel,
            "ip_whitelist": app.ip_whitelist, "address": "", "service_info": "", "is_enabled": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/reviews/reviewclient/{app.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReviewClient.objects.get(pk=app.pk).is_enabled is False
    refused = call(http, app, secret, "POST", UPLOAD, {"evaluations": rows(world, [world.item], 1, start=1)})
    assert refused.status_code == 403 and "接入应用已停用" in refused.content.decode()
    assert Evaluation.objects.count() == 1


def test_one_message_per_batch(world, staff, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.aggregate_pending, "apply_async", lambda **kw: sent.append(kw))
    app, secret = make_client(world.org, staff["province"])
    with django_capture_on_commit_callbacks(execute=True):
        response = call(Client(), app, secret, "POST", UPLOAD, {"evaluations": rows(world, [world.item], 20)})
    assert response.status_code == 201
    assert sent == [{"queue": "sync", "retry": False}]


def test_upload_with_redis_down_is_accepted_and_swept_later(world, staff, settings, broker_down,
                                                            django_capture_on_commit_callbacks):
    """Cache AND broker unreachable: every call looks the application up in PostgreSQL, the batch is
    committed in well under a second, the follow-up is not queued (and not even tried again for a
    while); the beat sweep then counts the evaluations and runs the on-event quality rules."""
    app, secret = make_client(world.org, staff["province"])
    settings.CACHES = {"default": {"BACKEND": "apps.core.cache.ResilientRedisCache",
                                   "LOCATION": f"{UNREACHABLE_REDIS}/2"}}
    SensitiveWord.objects.create(word="垃圾")
    body = rows(world, [world.item], 10)
    body[0]["comment"] = "服务垃圾"
    http = Client()
    timings = []
    for start, batch in ((0, body), (10, rows(world, [world.item], 10, start=10))):
        began = time.monotonic()
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            response = call(http, app, secret, "POST", UPLOAD, {"evaluations": batch})
        timings.append(time.monotonic() - began)
        assert response.status_code == 201, response.content
        assert len(lookups(queries)) == 2  # no generation to trust: the database every time
    assert max(timings) < 3, timings
    assert follow_up.follow_up_enqueue(1) is False  # the failure is remembered: no broker attempt
    assert Evaluation.objects.filter(client=app).count() == 20
    assert not Evaluation.objects.filter(aggregated=True).exists() and not AbnormalFlag.objects.exists()

    tasks.aggregate_pending()  # the beat sweep, once a worker runs again
    assert not Evaluation.objects.filter(aggregated=False).exists()
    assert sum(EvaluationAggregate.objects.values_list("total", flat=True)) == 20
    flagged = AbnormalFlag.objects.get()
    assert flagged.evaluation.comment == "服务垃圾" and "垃圾" in flagged.reason

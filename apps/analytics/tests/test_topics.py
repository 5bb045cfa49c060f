"""ANA-1.1: the 21 topic databases, refreshed by a job from the owning apps' data (seeded in factories.Province)."""
import pytest
from django.db.models import Sum

from apps.analytics.models import DataLog, TopicDataset, TopicFact
from apps.analytics.tests.factories import DAOLI, HARBIN, PROVINCE, QIQIHAR, refresh_all
from apps.core.jobs import JobStatus

pytestmark = pytest.mark.django_db


def total(code, dimension=None, region=None, **filters):
    rows = TopicFact.objects.filter(dataset__code=code, **filters)
    if dimension:
        rows = rows.filter(dimension=dimension)
    if region:
        rows = rows.filter(region__code__startswith=region.rstrip("0")[:4] if region != PROVINCE else "23")
    return rows.aggregate(v=Sum("value"))["v"] or 0


@pytest.fixture
def refreshed(province, ana_admin, django_capture_on_commit_callbacks):
    job = refresh_all(ana_admin, django_capture_on_commit_callbacks)
    return job


@pytest.mark.spec("ANA-1.1")
def test_the_refresh_job_fills_every_topic_database_with_progress(refreshed):
    job = refreshed
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total) == (21, 21)
    datasets = TopicDataset.objects.all()
    assert datasets.count() == 21
    for dataset in datasets:
        assert dataset.last_refreshed_at is not None, dataset.code
        assert dataset.row_count == TopicFact.objects.filter(dataset=dataset).count() > 0, dataset.code


@pytest.mark.spec("ANA-1.1.a", "ANA-1.1.c", "ANA-1.1.g")
def test_visit_and_exchange_topics_count_what_was_reported(refreshed, province):
    assert total("a", "app") == 12
    assert total("a", "app", HARBIN) == 7
    matter = TopicFact.objects.get(dataset__code="g")
    assert (matter.value, matter.label) == (7, f"食品经营许可（{province.item.implementation_code}）")
    # data exchange: the seed's reports to the national platform, by day, peer and delivery status
    national = TopicFact.objects.filter(dataset__code="c", label="national_platform")
    by_status = {d: sum(f.value for f in national if f.dimension == d) for d in {f.dimension for f in national}}
    assert by_status == {"outbox_delivered": 4, "outbox_dead": 1, "outbox_pending": 1}
    exchange = {f.dimension: f.value for f in TopicFact.objects.filter(dataset__code="c", label="市场监管审批系统")}
    assert exchange == {"exchange_out": 1, "exchange_in": 1}


@pytest.mark.spec("ANA-1.1.b")
def test_claims_topic(refreshed):
    assert total("b", "nationally_delegated") == 2
    assert total("b", "claimed_from_nation", HARBIN) == 2
    assert TopicFact.objects.get(dataset__code="b", dimension="claimed_from_nation", region_id=DAOLI).value == 1
    assert total("b", "province_delegated") == 1
    # 3 delivered messages in Harbin, two of them versions of one item: 2 items reported
    assert total("b", "reported_to_nation", HARBIN) == 2 and total("b", "reported_to_nation", QIQIHAR) == 1
    dedup = DataLog.objects.get(dataset__code="b", kind="deduplication")
    reported = next(d for d in dedup.detail["sources"] if d["source"] == "reported_to_nation")
    assert (reported["rows"], reported["distinct"], reported["duplicates"]) == (6, 5, 1)
    assert reported["duplicated_keys"] == [{"key": "HRB0000001", "rows": 2}]


@pytest.mark.spec("ANA-1.1.d", "ANA-1.1.k", "ANA-1.1.l")
def test_seal_topics(refreshed):
    assert total("d", "valid") == 2
    assert total("k", "valid", HARBIN) == 2
    assert total("l", "expiring") == 1 and total("l", "healthy") == 1


@pytest.mark.spec("ANA-1.1.e", "ANA-1.1.m", "ANA-1.1.n", "ANA-1.1.r", "ANA-1.1.s")
def test_licence_topics(refreshed):
    assert total("e", "valid") == 2                     # L1 (two versions) counted once, L3 cleaned out
    assert total("e", "superseded") == 1
    assert TopicFact.objects.get(dataset__code="m", dimension="type").label == "食品经营许可证"
    assert total("m", "type") == 2
    assert total("n", "passed") == 2 and total("n", "failed") == 1
    assert total("r", "reported") == 1 and total("r", "unreported") == 1
    assert TopicFact.objects.get(dataset__code="s").label == "持证主体代码格式错误"


@pytest.mark.spec("ANA-1.1.f")
def test_organisation_topic(refreshed):
    assert total("f", region=HARBIN) == 3
    assert total("f", region=QIQIHAR) == 1
    assert TopicFact.objects.filter(dataset__code="f", region_id=PROVINCE).aggregate(v=Sum("value"))["v"] == 1


@pytest.mark.spec("ANA-1.1.h")
def test_online_rate_topic(refreshed):
    matters = TopicFact.objects.get(dataset__code="h", dimension="matters", region_id=HARBIN)
    assert (matters.value, matters.total) == (1, 2)
    cases = TopicFact.objects.get(dataset__code="h", dimension="cases", region_id=HARBIN)
    assert (cases.value, cases.total) == (2, 5)


@pytest.mark.spec("ANA-1.1.i", "ANA-1.1.t", "ANA-1.1.u")
def test_review_topics(refreshed):
    levels = {f.label: f.value for f in TopicFact.objects.filter(dataset__code="i")}
    assert levels == {"1": 1, "2": 1, "5": 1}
    failed = TopicFact.objects.get(dataset__code="t", dimension="failed")
    assert (failed.value, failed.label) == (1, "评价时间格式错误")
    assert total("u", "flagged") == 1


@pytest.mark.spec("ANA-1.1.j")
def test_overdue_topic(refreshed):
    assert total("j", "open_overdue", HARBIN) == 1
    assert total("j", "late_concluded", HARBIN) == 1
    # the accepted case without a due date was cleaned out: 4 judged of 5 accepted
    assert sum(f.total for f in TopicFact.objects.filter(dataset__code="j", dimension="open_overdue")) == 4


@pytest.mark.spec("ANA-1.1.o", "ANA-1.1.p", "ANA-1.1.q")
def test_reported_to_nation_anomaly_topics(refreshed):
    feedback = TopicFact.objects.get(dataset__code="o")
    assert (feedback.region_id, feedback.label, feedback.value) == (QIQIHAR, "事项编码不符合规范", 1)
    assert total("p", "delivered") == 4 and total("p", "dead") == 1 and total("p", "pending") == 1
    assert total("q", "cases") == 5
    anomaly = TopicFact.objects.get(dataset__code="q", dimension="anomaly")
    assert (anomaly.label, anomaly.value) == ("no_due_date", 1)


@pytest.mark.spec("ANA-1.1", "ANA-1.3")
def test_refresh_logs_cleaning_deduplication_and_comparison_with_details(refreshed, province, ana_admin,
                                                                         django_capture_on_commit_callbacks):
    licences = TopicDataset.objects.get(code="e")
    cleaning = DataLog.objects.get(dataset=licences, kind="cleaning")
    assert (cleaning.records_in, cleaning.records_affected) == (4, 1)
    rule = cleaning.detail["sources"][0]["rules"][0]
    assert rule["rule"] == "有效期止早于有效期起" and rule["count"] == 1 and len(rule["sample_ids"]) == 1
    dedup = DataLog.objects.get(dataset=licences, kind="deduplication")
    assert dedup.records_affected == 1
    assert dedup.detail["sources"][0]["duplicated_keys"] == [{"key": "L1", "rows": 2}]
    first = DataLog.objects.get(dataset=licences, kind="comparison")
    assert first.detail["first_load"] is True
    # a second refresh after one more valid licence: the comparison shows the change
    from apps.licences.models import Licence

    extra = Licence.objects.filter(licence_code="L2").first()
    extra.pk, extra.licence_code = None, "L9"
    extra.save()
    refresh_all(ana_admin, django_capture_on_commit_callbacks, codes=["e"])
    second = DataLog.objects.filter(dataset=licences, kind="comparison").order_by("-pk").first()
    assert second.detail["changes"] == [{"dimension": "valid", "before": 2, "after": 3, "change": 1}]
    assert total("e", "valid") == 3
    system = DataLog.objects.filter(kind="system", job=second.job)
    assert system.count() == 2                          # start and end of the job
    operation = DataLog.objects.get(kind="operation", job=second.job)
    assert operation.operator == ana_admin


@pytest.mark.spec("ANA-1.1")
def test_bad_refresh_requests_write_nothing(province, ana_admin, orgs):
    from django.core.exceptions import PermissionDenied, ValidationError

    from apps.analytics.services.refresh import topic_refresh_start
    from apps.analytics.tests.factories import analyst
    from apps.core.jobs import JobRun

    logs = DataLog.objects.count()
    with pytest.raises(ValidationError):
        topic_refresh_start(actor=ana_admin, codes=["zz"])
    TopicDataset.objects.filter(code="b").update(is_enabled=False)
    with pytest.raises(ValidationError):
        topic_refresh_start(actor=ana_admin, codes=["b"])
    with pytest.raises(PermissionDenied):
        topic_refresh_start(actor=analyst(orgs["harbin"]), codes=["a"])
    assert not JobRun.objects.exists() and DataLog.objects.count() == logs


@pytest.mark.spec("ANA-1.1")
def test_nightly_schedule_queues_a_refresh_of_every_enabled_dataset(province, django_capture_on_commit_callbacks):
    from django.conf import settings

    from apps.analytics.tasks import topic_refresh_nightly

    entry = settings.CELERY_BEAT_SCHEDULE["analytics-topic-refresh-nightly"]
    assert entry["task"] == "analytics.topic_refresh_nightly"
    with django_capture_on_commit_callbacks(execute=True):
        job_id = topic_refresh_nightly()
    from apps.core.jobs import JobRun

    job = JobRun.objects.get(pk=job_id)
    assert job.status == JobStatus.SUCCEEDED and job.created_by is None and job.done == 21
    assert TopicDataset.objects.filter(last_refreshed_at__isnull=True).count() == 0

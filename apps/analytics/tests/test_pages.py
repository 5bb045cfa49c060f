"""ANA-1.1 management page, ANA-1.2 role-based access, ANA-1.3 data log pages, the API, the admin."""
import pytest
from django.contrib import admin
from django.apps import apps

from apps.analytics.models import DataLog, TopicDataset
from apps.analytics.tests.factories import analyst, grant, login, refresh_all
from apps.core.jobs import JobRun, JobStatus
from apps.identity.models import Role, RoleCode
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
PAGES = ["/portal/analytics/", "/portal/analytics/charts/2.5/", "/portal/analytics/datasets/",
         "/portal/analytics/datasets/e/", "/portal/analytics/logs/", "/portal/analytics/clients/",
         "/portal/analytics/roles/"]


@pytest.mark.spec("ANA-1.2")
def test_roles_decide_which_functions_a_user_reaches(orgs, citizen):
    user = StaffFactory(username="no_roles", organisation=orgs["province"])
    http = login(user)
    assert all(http.get(path).status_code == 403 for path in PAGES)
    assert http.get("/api/v1/analytics/charts/2.1/").status_code == 403
    grant(user, "view_charts")
    assert http.get("/portal/analytics/").status_code == 200
    assert http.get("/portal/analytics/datasets/").status_code == 403       # charts only
    user.roles.add(Role.objects.get(code="analytics_analyst"))              # the role the migration created
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
        user.__dict__.pop(cache, None)
    assert http.get("/portal/analytics/datasets/").status_code == 200
    assert http.post("/portal/analytics/datasets/refresh/").status_code == 403   # analysts do not refresh
    assert login(citizen).get("/portal/analytics/").status_code == 403


@pytest.mark.spec("ANA-1.2")
def test_the_system_administrator_reaches_every_function_without_grants(orgs, province,
                                                                         django_capture_on_commit_callbacks):
    boss = StaffFactory(username="sysadmin", organisation=orgs["province"])
    boss.roles.add(Role.objects.get_or_create(code=RoleCode.SYSTEM_ADMIN, defaults={"name": "系统管理员"})[0])
    http = login(boss)
    assert all(http.get(path).status_code == 200 for path in PAGES)
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post("/portal/analytics/datasets/refresh/", {"codes": ["f"]})
    assert response.status_code == 302
    assert TopicDataset.objects.get(code="f").row_count > 0


@pytest.mark.spec("ANA-1.2")
def test_the_roles_page_shows_which_role_holds_which_function(orgs):
    http = login(analyst(orgs["province"]))
    page = http.get("/portal/analytics/roles/")
    matrix = {row["role"].code: row["grants"] for row in page.context["matrix"]}
    codenames = [p.codename for p in page.context["permissions"]]
    refresh = codenames.index("refresh_topicdataset")
    assert matrix["analytics_admin"][refresh] is True and matrix["analytics_analyst"][refresh] is False


@pytest.mark.spec("ANA-1.1")
def test_management_page_lists_topics_and_refreshes_now(province, ana_admin, django_capture_on_commit_callbacks):
    http = login(ana_admin)
    page = http.get("/portal/analytics/datasets/")
    assert [d.code for d in page.context["datasets"]] == list("abcdefghijklmnopqrstu")
    assert page.context["can_refresh"] is True
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post("/portal/analytics/datasets/refresh/", {"codes": ["d", "k"]})
    job = JobRun.objects.get()
    assert response.url == f"/portal/core/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and (job.done, job.total) == (2, 2)
    page = http.get("/portal/analytics/datasets/")
    refreshed = {d.code: d.row_count for d in page.context["datasets"] if d.last_refreshed_at}
    assert set(refreshed) == {"d", "k"} and all(refreshed.values())
    detail = http.get("/portal/analytics/datasets/k/")
    assert [(f.dimension, f.value) for f in detail.context["page_obj"]] == [("valid", 2)]
    bad = http.post("/portal/analytics/datasets/refresh/", {"codes": ["zz"]}, follow=True)
    assert "没有编码为 zz 的专题库。" in bad.content.decode() and JobRun.objects.count() == 1


@pytest.mark.spec("ANA-1.1", "ANA-1.1.a")
def test_dataset_rows_filter_by_day_and_export(province, ana_admin, django_capture_on_commit_callbacks):
    from django.utils import timezone

    refresh_all(ana_admin, django_capture_on_commit_callbacks, codes=["a"])
    http = login(ana_admin)
    today = timezone.localdate()
    page = http.get("/portal/analytics/datasets/a/", {"start": today.isoformat(), "end": today.isoformat()})
    assert sum(f.value for f in page.context["page_obj"]) == 12
    yesterday = (today.replace(day=1) if today.day > 1 else today).isoformat()
    empty = http.get("/portal/analytics/datasets/a/", {"start": yesterday, "end": yesterday})
    assert sum(f.value for f in empty.context["page_obj"]) == (12 if yesterday == today.isoformat() else 0)
    invalid = http.get("/portal/analytics/datasets/a/", {"start": "2026-02-01", "end": "2026-01-01"})
    assert "end" in invalid.context["form"].errors and list(invalid.context["page_obj"]) == []
    export = http.get("/portal/analytics/datasets/a/", {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.spec("ANA-1.3")
def test_data_logs_are_filterable_and_the_cleaning_details_open(province, ana_admin,
                                                               django_capture_on_commit_callbacks):
    refresh_all(ana_admin, django_capture_on_commit_callbacks, codes=["e", "j"])
    http = login(analyst(ana_admin.organisation, username="log_reader"))
    listing = http.get("/portal/analytics/logs/", {"kind": "cleaning"})
    logs = list(listing.context["object_list"])
    assert {log.dataset.code for log in logs if log.dataset_id} == {"e", "j"}
    assert all(log.kind == "cleaning" for log in logs)
    overdue = TopicDataset.objects.get(code="j")
    only_j = http.get("/portal/analytics/logs/", {"kind": "cleaning", "dataset": overdue.pk}).context["object_list"]
    assert [log.dataset.code for log in only_j] == ["j"]
    log = only_j[0]
    detail = http.get(f"/portal/analytics/logs/{log.pk}/")
    content = detail.content.decode()
    assert "已受理但无承诺办结日期" in content and str(province.cases[-1].pk) in content
    assert detail.context["log"].records_affected == 1
    api = http.get("/api/v1/analytics/logs/", {"kind": "deduplication"}).json()
    assert api["count"] == 2 and {r["dataset_code"] for r in api["results"]} == {"e", "j"}
    assert http.get("/api/v1/analytics/logs/", {"kind": "nonsense"}).status_code == 400


@pytest.mark.spec("ANA-1.1", "ANA-1.2")
def test_api_datasets_and_refresh(province, ana_admin, orgs, django_capture_on_commit_callbacks):
    http = login(ana_admin)
    assert len(http.get("/api/v1/analytics/datasets/").json()) == 21
    with django_capture_on_commit_callbacks(execute=True):
        started = http.post("/api/v1/analytics/datasets/refresh/", {"codes": ["h"]}, content_type="application/json")
    assert started.status_code == 202 and started.json()["codes"] == ["h"]
    assert http.post("/api/v1/analytics/datasets/refresh/", {"codes": ["zz"]},
                     content_type="application/json").status_code == 400
    reader = login(analyst(orgs["harbin"], username="api_reader"))
    assert reader.post("/api/v1/analytics/datasets/refresh/", {}, content_type="application/json").status_code == 403
    chart = reader.get("/api/v1/analytics/charts/2.3/").json()
    assert {r[0]: r[1:] for r in chart["tables"][0]["rows"]}["哈尔滨市本级"] == [2, 1, 50.0, 5, 2, 40.0]


@pytest.mark.spec("ANA-1.1")
def test_every_analytics_model_is_in_the_admin(admin_client):
    for model in apps.get_app_config("analytics").get_models():
        assert admin.site.is_registered(model)
        model_admin = admin.site._registry[model]
        assert model_admin.list_display != ("__str__",) and (model_admin.list_filter or model_admin.search_fields)
        assert admin_client.get(f"/admin/analytics/{model._meta.model_name}/").status_code == 200


@pytest.mark.spec("ANA-1.3")
def test_operations_are_logged_with_operator_and_time(province, ana_admin, django_capture_on_commit_callbacks):
    refresh_all(ana_admin, django_capture_on_commit_callbacks, codes=["f"])
    operation = DataLog.objects.filter(kind="operation", operator=ana_admin).latest("created_at")
    assert operation.summary == "发起刷新专题库：f" and operation.detail["codes"] == ["f"]
    from apps.core.audit import AuditLog

    assert AuditLog.objects.filter(detail__contains="发起刷新专题库").exists()


@pytest.mark.spec("ANA-1.1", "ANA-1.2")
def test_an_administrator_disables_a_topic_and_the_refresh_skips_it(province, ana_admin, orgs,
                                                                    django_capture_on_commit_callbacks):
    http = login(ana_admin)
    assert http.post("/portal/analytics/datasets/b/disable/").status_code == 302
    assert TopicDataset.objects.get(code="b").is_enabled is False
    assert DataLog.objects.filter(kind="operation", summary="停用专题库 1.1.b", operator=ana_admin).exists()
    job = refresh_all(ana_admin, django_capture_on_commit_callbacks)
    assert job.total == 20 and "b" not in job.params["codes"]
    assert TopicDataset.objects.get(code="b").last_refreshed_at is None
    reader = login(analyst(orgs["harbin"], username="toggle_reader"))
    assert reader.post("/portal/analytics/datasets/b/enable/").status_code == 403
    assert TopicDataset.objects.get(code="b").is_enabled is False

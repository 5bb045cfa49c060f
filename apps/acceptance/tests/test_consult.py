"""办理咨询 (ACC-8.x) as citizens and consultation staff meet it: knowledge search by full text, pinyin
initials and publish time, hot words and popularity; the robot, questions it cannot answer going to staff
and their answers into the knowledge base; consultation registration and query with scope."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from apps.acceptance.models import Consultation, ConsultStatus, HotWord
from apps.acceptance.tests import factories as f
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import KnowledgeEntry, KnowledgeKind
from apps.matters.services.knowledge import pinyin_initials

pytestmark = pytest.mark.django_db


def _faq(org, title, content, days_ago=0):
    entry = KnowledgeEntry.objects.create(kind=KnowledgeKind.FAQ, title=title, content=content, department=org,
                                          pinyin_initials=pinyin_initials(title))
    KnowledgeEntry.objects.filter(pk=entry.pk).update(updated_at=timezone.now() - timedelta(days=days_ago))
    return entry


@pytest.fixture
def hall(orgs):
    return f.hall(orgs["harbin_dept"])


@pytest.fixture
def knowledge(orgs):
    org = orgs["harbin_dept"]
    return [_faq(org, "食品经营许可需要哪些材料", "申请书、营业执照复印件、场所平面图。", days_ago=40),
            _faq(org, "个体工商户如何注销", "通过政务服务网提交简易注销申请。", days_ago=5),
            _faq(org, "食品经营许可证遗失怎么补办", "登报声明后到窗口申请补办。", days_ago=1)]


def consult_staff(organisation, username="consult_staff"):
    user = f.grant(StaffFactory(username=username, organisation=organisation), "view_consultation",
                   "add_consultation", "change_consultation")
    user.roles.first().permissions.add(Permission.objects.get(codename="add_knowledgeentry",
                                                              content_type__app_label="matters"))
    user.__dict__.pop("_perm_cache", None)
    return type(user).objects.get(pk=user.pk)


@pytest.mark.spec("ACC-8.5")
def test_knowledge_search_full_text_pinyin_publish_time_hot_words_and_popularity(client, hall, knowledge):
    url = reverse("acceptance-public:consult", args=[hall.pk])

    def results(**params):
        page = client.get(url, params).content.decode()
        return page[page.index('data-testid="results"'):]

    page = results(q="食品经营")
    assert knowledge[0].title in page and knowledge[2].title in page and knowledge[1].title not in page
    page = results(q="gtgsh")                                                         # 个体工商户 by initials
    assert knowledge[1].title in page and knowledge[0].title not in page
    assert knowledge[0].title in results(q="营业执照")                                 # full text (content)
    first = (timezone.localdate() - timedelta(days=10)).isoformat()
    page = results(**{"from": first})                                                 # published in the last 10 days
    assert knowledge[1].title in page and knowledge[2].title in page and knowledge[0].title not in page
    client.get(url, {"q": "食品经营"})
    assert [(w.term, w.count) for w in HotWord.objects.all()][:1] == [("食品经营", 2)]
    for _ in range(3):
        assert client.get(reverse("acceptance-public:knowledge-entry", args=[hall.pk, knowledge[1].pk])).status_code == 200
    client.get(reverse("acceptance-public:knowledge-entry", args=[hall.pk, knowledge[2].pk]))
    page = client.get(url).content.decode()
    assert page.index(knowledge[1].title) < page.index(knowledge[2].title)            # popularity ranking
    assert "食品经营（2）" in page                                                    # hot words
    hot = client.get(url, {"q": "食品", "order": "hot"}).content.decode()
    results = hot[hot.index('data-testid="results"'):]
    assert results.index(knowledge[2].title) < results.index(knowledge[0].title)


@pytest.mark.spec("ACC-8.1")
def test_robot_answers_from_the_knowledge_base_and_unanswered_questions_reach_staff(client, orgs, hall, knowledge):
    url = reverse("acceptance-public:consult", args=[hall.pk])
    page = client.post(url, {"question": "请问食品经营许可需要准备什么材料？"}).content.decode()
    assert 'data-testid="robot-answers"' in page and knowledge[0].title in page
    assert not Consultation.objects.exists()
    assert client.post(url, {"question": "  "}).status_code == 302 and not Consultation.objects.exists()
    page = client.post(url, {"question": "外籍人员子女入学怎么办理", "mobile": "13900001111"}).content.decode()
    assert 'data-testid="robot-pending"' in page
    pending = Consultation.objects.get()
    assert pending.status == ConsultStatus.PENDING and pending.organisation == orgs["harbin_dept"]
    staff = consult_staff(orgs["harbin_dept"])
    client.force_login(staff)
    answer = reverse("acceptance:consultation-answer", args=[pending.pk])
    assert client.post(answer, {"result": ""}).status_code == 302
    assert Consultation.objects.get().status == ConsultStatus.PENDING                   # empty answer: nothing written
    assert client.post(answer, {"result": "持护照和居住证明到教育局窗口办理入学登记。", "add_to_knowledge": "on"}
                       ).status_code == 302
    pending.refresh_from_db()
    assert pending.status == ConsultStatus.ANSWERED and pending.knowledge_entry.kind == KnowledgeKind.FAQ
    client.logout()
    page = client.post(url, {"question": "外籍人员子女入学如何办理？"}).content.decode()
    assert "外籍人员子女入学怎么办理" in page and 'data-testid="robot-answers"' in page


@pytest.mark.spec("ACC-8.3", "ACC-8.4")
def test_consultation_register_and_query_with_authorisation_and_scope(client, orgs, citizen, staff):
    url = reverse("acceptance:consultation-list")
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(staff["harbin_dept"])
    assert client.get(url).status_code == 403
    clerk = consult_staff(orgs["harbin_dept"])
    client.force_login(clerk)
    data = {"consultant_name": "王五", "consultant_mobile": "1390000", "channel": "window", "business": "食品经营许可",
            "question": "新办需要多久？", "result": "承诺时限10个工作日。"}
    assert client.post(url, data).status_code == 200 and not Consultation.objects.exists()   # bad mobile
    assert client.post(url, dict(data, consultant_mobile="13900002222")).status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.status == ConsultStatus.ANSWERED and consultation.registered_by == clerk
    other = consult_staff(orgs["qiqihar"], "qiqihar_consult")
    Consultation.objects.create(consultant_name="赵六", business="道路运输", question="?", organisation=orgs["qiqihar"],
                                registered_by=other)
    page = client.get(url, {"consultant_name": "王"}).content.decode()
    assert "王五" in page and "139****2222" in page and "赵六" not in page
    assert "王五" not in client.get(url, {"business": "道路"}).content.decode()
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")

"""Policy and regulation centre (MAT-3.3.2.1–3.3.2.3): policy maintenance and publishing, collection,
interpretations, subscriptions, statistics, the public home page and search; law sources, law tags
and linking laws to items' legal basis."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.identity.tests.factories import StaffFactory
from apps.matters.models import KnowledgeEntry, LawItemLink, LawSource, Policy, PolicyStatus, PolicySubscription
from apps.matters.services.knowledge_base import law_save
from apps.matters.services.policies import (
    law_link_items, law_source_save, law_tags_set, policy_centre_home, policy_collect, policy_publish, policy_save,
    policy_search, policy_subscribe, subscription_feed,
)
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db

EDITOR_PERMISSIONS = ("add_policy", "change_policy", "publish_policy", "add_knowledgeentry", "change_knowledgeentry",
                      "add_lawsource")


@pytest.fixture
def editor(people):
    return grant(people["harbin"], *EDITOR_PERMISSIONS)


def _published(editor, title, **extra):
    policy = policy_save(actor=editor, kind=extra.pop("kind", "document"), title=title,
                         content=extra.pop("content", f"{title}正文"), **extra)
    policy_publish(actor=editor, policy=policy)
    return policy


@pytest.mark.spec("MAT-3.3.2.2")
def test_policy_management_draft_publish_interpret_collect_and_subscribe(editor, people, citizen):
    with pytest.raises(PermissionDenied):
        policy_save(actor=people["daoli"], kind="document", title="x", content="y")
    with pytest.raises(ValidationError) as bad:
        policy_save(actor=editor, kind="interpretation", title="解读", content="内容")
    assert "政策解读须选择所解读的政策文件。" in bad.value.messages and Policy.objects.count() == 0
    subscription = policy_subscribe(user=citizen, tag=policy_save(
        actor=editor, kind="news", title="占位", content="x", tags=["营商环境"]).tags.get())
    document = policy_save(actor=editor, kind="document", title="关于优化营商环境的若干措施", content="一、压缩开办时间。",
                           doc_number="哈政发〔2026〕3号", tags=["营商环境", "企业开办"], for_legal_person=True)
    assert document.status == PolicyStatus.DRAFT and list(policy_search(query="营商")) == []   # drafts are not public
    interpretation = policy_save(actor=editor, kind="interpretation", title="《若干措施》政策解读", content="解读全文",
                                 interprets=document, tags=["营商环境"])
    with pytest.raises(ValidationError, match="尚未发布"):
        policy_publish(actor=editor, policy=interpretation)
    assert policy_publish(actor=editor, policy=document) == 1          # one subscriber follows 营商环境
    with pytest.raises(ValidationError, match="已发布"):
        policy_publish(actor=editor, policy=document)
    policy_publish(actor=editor, policy=interpretation)
    assert list(subscription_feed(user=subscription.user)) == [interpretation, document]
    # query: full text, document number, pinyin initials, 涉企 filter, tag
    assert list(policy_search(query="压缩开办")) == [document]
    assert list(policy_search(query="3号")) == [document]
    assert list(policy_search(query="gyyhyshj", kind="document")) == [document]
    assert list(policy_search(for_legal_person=True)) == [document]
    assert set(policy_search(tag="营商环境")) == {document, interpretation}
    # collection is all-or-nothing and names the bad row
    with pytest.raises(ValidationError) as bad_rows:
        policy_collect(actor=editor, rows=[{"title": "A", "content": "a"}, {"title": "", "content": "b"}])
    assert bad_rows.value.messages == ["第2条：请填写标题。"] and not Policy.objects.filter(title="A").exists()
    collected = policy_collect(actor=editor, rows=[{"title": "省政府令第1号", "content": "全文", "tags": ["法治"]}])
    assert collected[0].status == PolicyStatus.DRAFT and collected[0].issuer == editor.organisation
    # another department cannot edit Harbin's policy
    other = grant(people["qiqihar"], *EDITOR_PERMISSIONS)
    with pytest.raises(PermissionDenied):
        policy_save(actor=other, kind="document", title="改", content="改", policy=document)


@pytest.mark.spec("MAT-3.3.2.1")
def test_centre_home_page_columns_and_search_for_citizens(editor, client, citizen):
    first = _published(editor, "关于支持个体工商户发展的意见", tags=["个体工商户"])
    popular = _published(editor, "企业开办一件事实施方案", tags=["企业开办"], for_legal_person=True)
    _published(editor, "实施方案解读", kind="interpretation", interprets=popular)
    _published(editor, "我省企业开办时间压缩至1个工作日", kind="news")
    law = law_save(actor=editor, title="黑龙江省优化营商环境条例", content="第一条", law_type="local_regulation",
                   law_level="provincial")
    for _ in range(3):
        client.get(reverse("matters-public:policy-detail", args=[popular.pk]))
    client.get(reverse("matters-public:policy-detail", args=[first.pk]))
    popular.refresh_from_db()
    assert popular.views == 3
    with CaptureQueriesContext(connection) as queries:
        home = policy_centre_home()
    assert len(queries) <= 12
    assert home["statistics"]["total"] == 4 and home["statistics"]["laws"] == 1
    assert [p.title for p in home["popular"]][:2] == ["企业开办一件事实施方案", "关于支持个体工商户发展的意见"]
    assert [p.title for p in home["latest"]] == ["企业开办一件事实施方案", "关于支持个体工商户发展的意见"]
    assert [t.name for t in home["hot_tags"]][0] == "企业开办" and home["laws"] == [law]
    page = client.get(reverse("matters-public:policy-centre")).content.decode()
    for column in ("latest", "popular", "interpretations", "laws", "news", "quick", "tags"):
        assert f'data-column="{column}"' in page
    assert "实施方案解读" in page and "黑龙江省优化营商环境条例" in page
    found = client.get(reverse("matters-public:policy-centre"), {"q": "qykb", "legal": "1"}).content.decode()
    assert 'data-result="企业开办一件事实施方案"' in found and 'data-result="关于支持个体' not in found
    # subscription needs a login; a citizen subscribes and the feed shows the tag's policies
    response = client.post(reverse("matters-public:policy-subscribe"), {"tag": "企业开办"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not PolicySubscription.objects.exists()
    client.force_login(citizen)
    client.post(reverse("matters-public:policy-subscribe"), {"tag": "企业开办"})
    feed = client.get(reverse("matters-public:policy-centre")).content.decode()
    assert PolicySubscription.objects.filter(user=citizen, tag__name="企业开办").exists() and "我的订阅" in feed
    # an unpublished policy is not public
    draft = policy_save(actor=editor, kind="document", title="草稿", content="x")
    assert client.get(reverse("matters-public:policy-detail", args=[draft.pk])).status_code == 404


@pytest.mark.spec("MAT-3.3.2.2")
def test_policy_management_page_authorisation_and_publish(editor, people, client, citizen):
    url = reverse("matters:policies")
    assert client.get(url).status_code == 302                                   # anonymous → login
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)
    client.force_login(people["qiqihar"])                                       # staff without the permission
    assert client.get(url).status_code == 403
    client.force_login(editor)
    response = client.post(url, {"action": "create", "kind": "document", "title": "", "content": "x"}, follow=True)
    assert "请填写标题。" in response.content.decode() and not Policy.objects.exists()
    client.post(url, {"action": "create", "kind": "document", "title": "哈尔滨市惠企政策二十条", "content": "全文",
                      "tags": "惠企，减税", "for_legal_person": "1"})
    policy = Policy.objects.get()
    assert set(policy.tags.values_list("name", flat=True)) == {"惠企", "减税"} and policy.for_legal_person
    client.post(url, {"action": "publish", "policy": policy.pk})
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.PUBLISHED
    page = client.get(url).content.decode()
    assert 'data-policy="哈尔滨市惠企政策二十条"' in page and 'data-stat="total">1<' in page
    # another region's editor neither sees nor publishes it
    other = grant(StaffFactory(username="qqhr_editor", organisation=people["qiqihar"].organisation),
                  *EDITOR_PERMISSIONS)
    client.force_login(other)
    assert 'data-policy="哈尔滨市惠企政策二十条"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "withdraw", "policy": policy.pk, "reason": "x"}).status_code == 404


@pytest.mark.spec("MAT-3.3.2.3", "MAT-3.3.2")
def test_law_sources_tags_and_links_to_items_legal_basis(editor, people, published_item, client):
    from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit

    with pytest.raises(PermissionDenied):
        law_source_save(actor=people["daoli"], name="国家法律法规数据库")
    with pytest.raises(ValidationError):
        law_source_save(actor=editor, name=" ")
    source = law_source_save(actor=editor, name="国家法律法规数据库", url="https://flk.npc.gov.cn/")
    law = law_save(actor=editor, title="中华人民共和国食品安全法", content="第三十五条 国家对食品生产经营实行许可制度。",
                   law_type="law", law_level="national", industry="食品")
    law_tags_set(actor=editor, law=law, tags=["食品", "许可"], source=source)
    with pytest.raises(ValidationError, match="请选择"):
        law_link_items(actor=editor, law=law, items=[])
    assert law_link_items(actor=editor, law=law, items=[published_item], article="第三十五条") == 1
    assert law_link_items(actor=editor, law=law, items=[published_item]) == 0        # once only
    assert LawItemLink.objects.get().article == "第三十五条"
    # the page: maintain a source and a law, link by basic code
    client.force_login(editor)
    url = reverse("matters:laws")
    client.post(url, {"action": "source", "name": "黑龙江省人大常委会公报"})
    client.post(url, {"action": "law", "title": "黑龙江省食品小作坊管理条例", "content": "第一条", "law_type": "local_regulation",
                      "law_level": "provincial", "source": LawSource.objects.get(name="黑龙江省人大常委会公报").pk,
                      "tags": "食品，小作坊"})
    local = KnowledgeEntry.objects.get(title="黑龙江省食品小作坊管理条例")
    assert local.law_source.name == "黑龙江省人大常委会公报"
    assert set(local.tags.values_list("name", flat=True)) == {"食品", "小作坊"}
    client.post(url, {"action": "link", "law": local.pk, "item_codes": published_item.basic_code, "article": "第十条"})
    page = client.get(url).content.decode()
    assert 'data-law="黑龙江省食品小作坊管理条例"' in page and "第十条" in page
    # the public guide of an implementation item shows the laws linked to its catalogue item
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=people["daoli"].organisation)
    matter_submit(actor=people["daoli"], item=item)
    from apps.matters.tests.factories import establishment_user

    matter_review(actor=establishment_user(people["daoli"].organisation.region, "daoli_bb"), item=item, approve=True)
    client.logout()
    guide = client.get(reverse("matters-public:guide-detail", args=[item.pk])).content.decode()
    assert 'data-law="中华人民共和国食品安全法"' in guide and 'data-law="黑龙江省食品小作坊管理条例"' in guide

"""Agents (IDN-8.1, 8.2): a legal person authorises a natural person with scope and expiry; the
person accepts or rejects; agent login; revocation; acting for the legal person shows in SSO."""
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.identity.models import (
    AgentAuthorisation,
    AgentStatus,
    ClientSystem,
    SsoTicket,
    UserKind,
)
from apps.identity.services.agents import agent_act_check, agent_authorise
from apps.identity.tests.conftest import AGENT_ID
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    return UserFactory(username="company", kind=UserKind.LEGAL_PERSON, full_name="哈尔滨冰城科技有限公司",
                       credit_code="91230100MA1B2C3D49")


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", kind=UserKind.NATURAL_PERSON, full_name="赵六", id_number=AGENT_ID)


def authorise(client, **extra):
    data = {"agent_name": "赵六", "agent_id_number": AGENT_ID, "scopes": ["apply"],
            "valid_until": (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"), **extra}
    return client.post("/sso/account/agents/", data)


@pytest.mark.spec("IDN-8.1", "IDN-8.2")
def test_authorise_accept_act_and_revoke(client, company, agent):
    client.force_login(company)
    assert authorise(client).status_code == 302
    authorisation = AgentAuthorisation.objects.get()
    assert authorisation.status == AgentStatus.PENDING and authorisation.scopes == ["apply"]
    # pending: no agent login yet
    with pytest.raises(PermissionDenied):
        agent_act_check(agent=agent, legal_person_id=company.pk)
    client.force_login(agent)
    page = client.get("/sso/account/agents/").content.decode()
    assert "哈尔滨冰城科技有限公司" in page and "待接收" in page
    client.post(f"/sso/account/agents/{authorisation.pk}/accept/")
    authorisation.refresh_from_db()
    assert authorisation.status == AgentStatus.ACTIVE
    # agent login: switch identity; the banner and SSO tickets carry it
    client.post("/sso/account/", {"action": "act_for", "legal_person": company.pk})
    assert "代理“哈尔滨冰城科技有限公司”办事" in client.get("/sso/account/").content.decode()
    system = ClientSystem.objects.get(code="province-market")
    system.service_url, system.ticket_secret = "https://amr.example.cn/", "s"
    system.save()
    response = client.get("/sso/cas/login", {"service": "https://amr.example.cn/cas"})
    ticket = parse_qs(urlparse(response["Location"]).query)["ticket"][0]
    xml = client.get("/sso/cas/serviceValidate", {"service": "https://amr.example.cn/cas", "ticket": ticket})
    assert "<cas:user>agent</cas:user>" in xml.content.decode()
    assert "<cas:acting_for_credit_code>91230100MA1B2C3D49</cas:acting_for_credit_code>" in xml.content.decode()
    assert SsoTicket.objects.get(ticket=ticket).acting_for == company
    # beyond scope is refused
    with pytest.raises(PermissionDenied, match="超出"):
        agent_act_check(agent=agent, legal_person_id=company.pk, scope="licence")
    # the legal person revokes → agent login fails
    client.force_login(company)
    client.post(f"/sso/account/agents/{authorisation.pk}/revoke/")
    authorisation.refresh_from_db()
    assert authorisation.status == AgentStatus.REVOKED
    with pytest.raises(PermissionDenied):
        agent_act_check(agent=agent, legal_person_id=company.pk)


def test_reject_expiry_and_bad_input(client, company, agent):
    client.force_login(company)
    response = authorise(client, agent_name="别人")
    assert "未找到姓名与证件号码一致" in response.content.decode()
    response = authorise(client, valid_until="2000-01-01T00:00")
    assert "有效期须晚于当前时间" in response.content.decode()
    assert not AgentAuthorisation.objects.exists()
    authorise(client)
    assert "已存在" in authorise(client).content.decode()
    authorisation = AgentAuthorisation.objects.get()
    # only the agent decides; another user gets 404 and nothing changes
    stranger = UserFactory(kind=UserKind.NATURAL_PERSON)
    client.force_login(stranger)
    assert client.post(f"/sso/account/agents/{authorisation.pk}/accept/").status_code == 404
    client.force_login(agent)
    client.post(f"/sso/account/agents/{authorisation.pk}/reject/")
    authorisation.refresh_from_db()
    assert authorisation.status == AgentStatus.REJECTED
    with pytest.raises(PermissionDenied):
        agent_act_check(agent=agent, legal_person_id=company.pk)
    # an accepted authorisation that has expired no longer works
    second = agent_authorise(legal_person=company, agent_id_number=AGENT_ID, agent_name="赵六", scopes=["all"],
                             valid_until=timezone.now() + timedelta(days=1), actor=company)
    client.post(f"/sso/account/agents/{second.pk}/accept/")
    AgentAuthorisation.objects.filter(pk=second.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        agent_act_check(agent=agent, legal_person_id=company.pk)
    # a natural person cannot authorise agents
    with pytest.raises(PermissionDenied):
        agent_authorise(legal_person=agent, agent_id_number=AGENT_ID, agent_name="赵六", scopes=["all"],
                        valid_until=timezone.now() + timedelta(days=1), actor=agent)
    with pytest.raises(ValidationError):
        agent_authorise(legal_person=company, agent_id_number=AGENT_ID, agent_name="赵六", scopes=["bogus"],
                        valid_until=timezone.now() + timedelta(days=1), actor=company)

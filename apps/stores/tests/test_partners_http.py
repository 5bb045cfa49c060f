"""STORE-2.a / 2.1.4 over real HTTP: a Heilongjiang user logged in on the provincial portal follows the
Jilin (or any partner / national zone) link; the partner's home page (a simulator on its own socket)
receives the provincial ticket, exchanges it with our identity endpoints on the live server and
recognises the user — no second login."""
import pytest
import requests
from django.urls import reverse

from apps.core.adapters.simulators import SimulatorServer
from apps.core.tests.factories import grant
from apps.identity.models import ClientSystemKind
from apps.identity.services.clients import client_system_create, client_system_reset_secrets
from apps.identity.tests.factories import StaffFactory
from apps.stores.adapters.partners import PartnerSiteSimulator
from apps.stores.models import PartnerProvinceSite

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.spec("STORE-2.a", "STORE-2.1.4", "STORE-2.1.1")
@pytest.mark.parametrize("code, name", [("jilin", "吉林省政务服务网"), ("hainan", "海南政务服务网"),
                                        ("national-kstb", "全国跨省通办专区")])
def test_partner_home_page_recognises_the_provincial_login(client, live_server, orgs, resident, code, name):
    admin = grant(StaffFactory(username="sso_admin", organisation=orgs["province"]), "identity.add_clientsystem",
                  "identity.change_clientsystem")
    simulator = PartnerSiteSimulator(code=code, secret="", identity_url=live_server.url, title=name)
    with SimulatorServer(simulator) as server:
        home = f"{server.url}/"
        system = client_system_create(actor=admin, data={"code": code, "name": name, "owner": name,
                                                         "kind": ClientSystemKind.THIRD_PARTY, "service_url": home,
                                                         "allowed_claims": ["name", "account_type"]})
        simulator.secret = client_system_reset_secrets(client=system, actor=admin)["ticket_secret"]
        PartnerProvinceSite.objects.create(code=code, name=name, home_url=home)
        # anonymous: the partner page does not know the user
        assert "请登录" in requests.get(home, timeout=10).text
        client.force_login(resident)
        jump = client.get(reverse("stores-public:partner-go", args=[code]))
        issued = client.get(jump["Location"])
        assert issued.status_code == 302 and issued["Location"].startswith(home + "?ticket=")
        page = requests.get(issued["Location"], timeout=10).text
        assert "欢迎，张秀英" in page
        assert simulator.recognised[-1]["name"] == "张秀英"
        # a ticket is single-use: replaying it is not recognised
        assert "请登录" in requests.get(issued["Location"], timeout=10).text

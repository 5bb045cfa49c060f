"""Serve the identity peers for development on the ports of the IDENTITY_*_URL settings, with a small
demo register (see docs/identity.md): national real-name, provincial police, market supervision,
institution registry, public-security face; Alipay, e-business licence, the national platform, the
city verification API, the CA status service, exit-entry documents and the e-social-security card."""
import threading
from urllib.parse import urlparse

from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.identity.adapters.simulators import (
    EnterpriseRegistrySimulator,
    FaceSimulator,
    RealNameRegistrySimulator,
)
from apps.identity.adapters.simulators_thirdparty import (
    AuthCodeSimulator,
    CertificateAuthoritySimulator,
    CityAuthSimulator,
    ExitEntrySimulator,
    NationalPlatformSimulator,
)
from apps.identity.adapters.verification import peer_url

DEMO_PERSON = {"id_number": "230102199001011230", "name": "张三", "valid_to": "2035-01-01"}
DEMO_ENTERPRISE = {"credit_code": "91230100MA1B2C3D49", "name": "哈尔滨冰城科技有限公司", "legal_representative": "张三",
                   "mobile": "13912345678"}


class Command(BaseCommand):
    help = "Run the identity-check peer simulators (development only)."

    def national_client_secret(self) -> str:
        """The dev national platform authenticates as the `national-platform` client system."""
        import secrets

        from django.db import DatabaseError

        from apps.identity.models import ClientSystem

        try:
            client, _created = ClientSystem.objects.get_or_create(code="national-platform", defaults={
                "name": "国家政务服务平台", "owner": "国家政务服务平台", "kind": "third_party",
                "ticket_secret": secrets.token_urlsafe(24)})
            return client.ticket_secret
        except DatabaseError:
            self.stderr.write("database not ready: national trust passing disabled in the simulator")
            return ""

    def handle(self, *args, **options):
        national, police = RealNameRegistrySimulator(), RealNameRegistrySimulator()
        market, institutions, face = EnterpriseRegistrySimulator(), EnterpriseRegistrySimulator(), FaceSimulator()
        for registry in (national, police):
            registry.register(**DEMO_PERSON)
        market.register(**DEMO_ENTERPRISE)
        face.register(id_number=DEMO_PERSON["id_number"], face_marker="demo-face")
        peers = {"IDENTITY_NATIONAL_REALNAME_URL": national, "IDENTITY_POLICE_REALNAME_URL": police,
                 "IDENTITY_MARKET_SUPERVISION_URL": market, "IDENTITY_INSTITUTION_REGISTRY_URL": institutions,
                 "IDENTITY_FACE_URL": face}
        national_platform = NationalPlatformSimulator()
        national_platform.register(username="demo_national", password="Demo@2026hlj", record={
            "national_id": "N-DEMO-1", "kind": "natural_person", "name": DEMO_PERSON["name"],
            "id_type": "resident_id", "id_number": DEMO_PERSON["id_number"], "auth_level": 2})
        national_platform.province_trust_url = "http://127.0.0.1:8000/sso/national/trust/"
        national_platform.province_token_url = "http://127.0.0.1:8000/sso/api/national/token"
        national_platform.client_id = "national-platform"
        national_platform.client_secret = self.national_client_secret()
        city = CityAuthSimulator()
        city.register(city_code="230100000000", username="demo_city", password="Demo@2026hlj", record={
            "account_id": "HRB-DEMO-1", "name": DEMO_PERSON["name"], "id_type": "resident_id",
            "id_number": DEMO_PERSON["id_number"], "valid_from": "2015-01-01", "valid_to": DEMO_PERSON["valid_to"]})
        exit_entry = ExitEntrySimulator()
        exit_entry.register(document_type="passport", document_number="E12345678", name="李四", face_marker="demo-face")
        peers.update({"IDENTITY_ALIPAY_URL": AuthCodeSimulator(), "IDENTITY_E_LICENCE_URL": AuthCodeSimulator(),
                      "IDENTITY_NATIONAL_PLATFORM_URL": national_platform, "IDENTITY_CITY_AUTH_URL": city,
                      "IDENTITY_CA_URL": CertificateAuthoritySimulator(), "IDENTITY_EXIT_ENTRY_URL": exit_entry,
                      "IDENTITY_SOCIAL_SECURITY_URL": AuthCodeSimulator()})
        servers = []
        for setting, app in peers.items():
            url = urlparse(peer_url(setting))
            server = SimulatorServer(app, host=url.hostname, port=url.port).start()
            servers.append(server)
            self.stdout.write(f"{setting}: {server.url}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            for server in servers:
                server.stop()

"""Serve the identity-check peers for development: national real-name, provincial police, market
supervision, institution registry and public-security face, on the ports of the default
IDENTITY_*_URL settings, with a small demo register (see docs/identity.md)."""
import threading
from urllib.parse import urlparse

from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.identity.adapters.simulators import (
    EnterpriseRegistrySimulator,
    FaceSimulator,
    RealNameRegistrySimulator,
)
from apps.identity.adapters.verification import peer_url

DEMO_PERSON = {"id_number": "230102199001011230", "name": "张三", "valid_to": "2035-01-01"}
DEMO_ENTERPRISE = {"credit_code": "91230100MA1B2C3D49", "name": "哈尔滨冰城科技有限公司", "legal_representative": "张三",
                   "mobile": "13912345678"}


class Command(BaseCommand):
    help = "Run the identity-check peer simulators (development only)."

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

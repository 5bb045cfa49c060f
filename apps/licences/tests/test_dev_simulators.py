"""`make run` seeding of the e-seal platform simulator: root registered, seal makers synchronised."""

import pytest

from apps.core.adapters.simulators import SimulatorServer
from apps.licences.management.commands.run_licences_simulators import Command
from apps.licences.models import SealMaker
from apps.licences.peers.seal_platform import SealPlatformSimulator
from apps.licences.services.pki import trusted_roots

from .factories import seal_admin

pytestmark = pytest.mark.django_db


def test_seed_registers_the_root_and_the_seal_maker(orgs):
    admin = seal_admin(orgs["province"], "sim_admin")
    simulator = SealPlatformSimulator([{"code": "hlj-seal-centre", "name": "黑龙江省电子印章制作中心",
                                        "credit_code": orgs["province"].credit_code}])
    with SimulatorServer(simulator) as server:
        simulator.base_url = server.url
        Command()._seed(admin, simulator, server.url)
        Command()._seed(admin, simulator, server.url)       # a second start: duplicate root skipped
    assert trusted_roots().count(simulator.ca.der) == 1
    assert SealMaker.objects.filter(code="hlj-seal-centre").count() == 1

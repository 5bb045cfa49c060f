"""Serve the provincial e-seal platform (LICENCES_SEAL_PLATFORM_URL) and national licence platform
(LICENCES_NATIONAL_PLATFORM_URL) simulators for `make run`, and seed what they need:

    manage.py run_licences_simulators --seal-port 8062 --national-port 8061 [--username admin]

With ``--username`` (an account holding add_signingcertificate and change_sealmaker) the simulator's root
certificate is registered as a trusted CA and the seal-making units are synchronised (seal makers). The
simulator's keys are new on every start, so the seeding runs on every start (a duplicate root is skipped)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.core.adapters.simulators import SimulatorServer
from apps.identity.models import User
from apps.licences.models import CertificateKind
from apps.licences.peers.national import NationalLicencePlatformSimulator
from apps.licences.peers.seal_platform import HttpSealMakingSystem, SealPlatformSimulator
from apps.licences.services.pki import certificate_import
from apps.licences.services.seal_makers import seal_makers_sync


class Command(BaseCommand):
    help = "Serve the e-seal platform and national licence platform simulators until Ctrl-C (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--seal-port", type=int, default=8062)
        parser.add_argument("--national-port", type=int, default=8061)
        parser.add_argument("--username", default="", help="seed the root and seal makers as this account")
        parser.add_argument("--maker-credit-code", default="",
                            help="USCC of the seal-making unit (default: the account's organisation)")

    def handle(self, *args, **options):
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).select_related("organisation").first()
            if actor is None or actor.organisation is None:
                raise CommandError("unknown user, or the user has no organisation")
        credit_code = options["maker_credit_code"] or (actor.organisation.credit_code if actor else "")
        seal_platform = SealPlatformSimulator([{"code": "hlj-seal-centre", "name": "黑龙江省电子印章制作中心",
                                                "credit_code": credit_code}])
        seal_server = SimulatorServer(seal_platform, host=options["host"], port=options["seal_port"], quiet=False)
        seal_platform.base_url = seal_server.url
        seal_server.start()
        national = SimulatorServer(NationalLicencePlatformSimulator(), host=options["host"],
                                   port=options["national_port"], quiet=False)
        self.stdout.write(f"e-seal platform simulator on {seal_server.url}, national licence platform on {national.url}")
        if actor is not None:
            self._seed(actor, seal_platform, seal_server.url)
        try:
            national.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            national.close()
            seal_server.stop()

    def _seed(self, actor, seal_platform, url):
        try:
            certificate_import(actor=actor, data=seal_platform.ca.der, kind=CertificateKind.CA,
                               organisation=actor.organisation)
            self.stdout.write("registered the e-seal platform's root certificate")
        except ValidationError as exc:
            self.stdout.write(f"root not registered: {'; '.join(exc.messages)}")
        try:
            result = seal_makers_sync(actor=actor, system=HttpSealMakingSystem(url))
            self.stdout.write(f"seal makers synchronised: {result}")
        except (ValidationError, PermissionDenied) as exc:
            self.stdout.write(f"seal makers not synchronised: {exc}")

"""Run the gov.cn inspection-platform and national interaction-platform simulators:
`manage.py run_supervision_simulators --govcn-port 8031 --national-port 8032`."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.supervision.adapters.govcn_simulator import GovcnInspectionSimulator
from apps.supervision.adapters.national_simulator import NationalInteractionSimulator


class Command(BaseCommand):
    help = "Serve the 中国政府网督查平台 and 国家互动交流平台 simulators until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--govcn-port", type=int, default=8031)
        parser.add_argument("--national-port", type=int, default=8032)

    def handle(self, *args, **options):
        national = SimulatorServer(NationalInteractionSimulator(), host=options["host"],
                                   port=options["national_port"], quiet=False).start()
        govcn = SimulatorServer(GovcnInspectionSimulator(), host=options["host"], port=options["govcn_port"],
                                quiet=False)
        self.stdout.write(f"gov.cn simulator on {govcn.url}, national simulator on {national.url} (Ctrl-C to stop)")
        try:
            govcn.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            govcn.close()
            national.stop()

"""Run the national 好差评 system and hotline simulators:
`manage.py run_reviews_simulators --national-port 8051 --hotline-port 8052`."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.reviews.adapters.simulators import HotlineSimulator, NationalReviewSimulator


class Command(BaseCommand):
    help = "Serve the 国家好差评系统 and 政务服务热线 simulators until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--national-port", type=int, default=8051)
        parser.add_argument("--hotline-port", type=int, default=8052)

    def handle(self, *args, **options):
        hotline = SimulatorServer(HotlineSimulator(), host=options["host"], port=options["hotline_port"],
                                  quiet=False).start()
        national = SimulatorServer(NationalReviewSimulator(), host=options["host"], port=options["national_port"],
                                   quiet=False)
        self.stdout.write(f"national 好差评 simulator on {national.url}, hotline simulator on {hotline.url}")
        try:
            national.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            national.close()
            hotline.stop()

"""Run the national 好差评 system, hotline and matter-library simulators:
`manage.py run_reviews_simulators --national-port 8051 --hotline-port 8052 --matter-library-port 8053`."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.reviews.adapters.simulators import HotlineSimulator, MatterLibrarySimulator, NationalReviewSimulator


class Command(BaseCommand):
    help = "Serve the 国家好差评系统, 政务服务热线 and 事项库 simulators until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--national-port", type=int, default=8051)
        parser.add_argument("--hotline-port", type=int, default=8052)
        parser.add_argument("--matter-library-port", type=int, default=8053)

    def handle(self, *args, **options):
        hotline = SimulatorServer(HotlineSimulator(), host=options["host"], port=options["hotline_port"],
                                  quiet=False).start()
        library = SimulatorServer(MatterLibrarySimulator(), host=options["host"],
                                  port=options["matter_library_port"], quiet=False).start()
        national = SimulatorServer(NationalReviewSimulator(), host=options["host"], port=options["national_port"],
                                   quiet=False)
        self.stdout.write(f"national 好差评 simulator on {national.url}, hotline simulator on {hotline.url}, "
                          f"matter library simulator on {library.url}")
        try:
            national.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            national.close()
            hotline.stop()
            library.stop()

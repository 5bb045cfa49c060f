"""Run the original item library (原事项库, MAT-7.7 write-back) and power-list owner (权责清单系统, MAT-7.8)
simulators: `manage.py run_matters_peer_simulators --item-library-port 8027 --power-list-port 8028`."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.matters.adapters.item_library import ItemLibrarySimulator, PowerListOwnerSimulator


class Command(BaseCommand):
    help = "Serve the 原事项库 and 权责清单系统 simulators until Ctrl-C (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--item-library-port", type=int, default=8027)
        parser.add_argument("--power-list-port", type=int, default=8028)

    def handle(self, *args, **options):
        power_list = SimulatorServer(PowerListOwnerSimulator(), host=options["host"],
                                     port=options["power_list_port"], quiet=False).start()
        library = SimulatorServer(ItemLibrarySimulator(), host=options["host"], port=options["item_library_port"],
                                  quiet=False)
        self.stdout.write(f"item library simulator on {library.url}, power-list owner simulator on {power_list.url}")
        try:
            library.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            library.close()
            power_list.stop()

"""Run the national platform simulator standalone: `manage.py run_national_platform_simulator --port 8026`."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.matters.adapters.national_platform.simulator import NationalPlatformSimulator


class Command(BaseCommand):
    help = "Serve the national platform matter-report simulator (POST/GET /reports, POST /control)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8026)

    def handle(self, *args, **options):
        server = SimulatorServer(NationalPlatformSimulator(), host=options["host"], port=options["port"], quiet=False)
        self.stdout.write(f"National platform simulator listening on {server.url} (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()

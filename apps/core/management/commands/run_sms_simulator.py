"""Run the SMS gateway simulator standalone: `manage.py run_sms_simulator --port 8025`."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.core.adapters.sms.simulator import SmsSimulator


class Command(BaseCommand):
    help = "Serve the SMS gateway simulator (POST /messages, GET /messages, POST /control)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args, **options):
        server = SimulatorServer(SmsSimulator(), host=options["host"], port=options["port"], quiet=False)
        self.stdout.write(f"SMS simulator listening on {server.url} (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()

"""Run the service map's peer simulators for `make run`: a hall NVR (live video) and a hall's own
booking and consultation systems.

    manage.py run_servicemap_simulators --nvr-port 8071 --booking-port 8072 --consultation-port 8073
"""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.servicemap.adapters.hall_systems import HallSystemSimulator
from apps.servicemap.adapters.video import NvrSimulator


class Command(BaseCommand):
    help = "Serve the NVR (MJPEG live video) and hall booking / consultation system simulators."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--nvr-port", type=int, default=8071)
        parser.add_argument("--booking-port", type=int, default=8072)
        parser.add_argument("--consultation-port", type=int, default=8073)

    def handle(self, *args, **options):
        host = options["host"]
        servers = [SimulatorServer(NvrSimulator(frames=100000, interval=0.5), host=host, port=options["nvr_port"]),
                   SimulatorServer(HallSystemSimulator("/bookings"), host=host, port=options["booking_port"]),
                   SimulatorServer(HallSystemSimulator("/consultations"), host=host,
                                   port=options["consultation_port"])]
        for server in servers:
            server.start()
        self.stdout.write("NVR {} · hall booking {}/bookings · hall consultation {}/consultations (Ctrl-C to stop)"
                          .format(*(s.url for s in servers)))
        try:
            import time

            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            for server in servers:
                server.close()

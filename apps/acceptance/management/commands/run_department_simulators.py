"""Run the three simulated department business systems (real HTTP) for development and demos.

    .venv/bin/python manage.py run_department_simulators            # ports 8041, 8042, 8043
"""
from django.core.management.base import BaseCommand

from apps.acceptance.adapters.department_simulator import DEPARTMENTS, DepartmentSystemSimulator
from apps.core.adapters.simulators import SimulatorServer


class Command(BaseCommand):
    help = "Run the simulated department business systems of the acceptance dispatch centre."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, host, **options):
        servers = [SimulatorServer(DepartmentSystemSimulator(name), host=host, port=port, quiet=False)
                   for name, port in DEPARTMENTS]
        for server, (name, _port) in zip(servers, DEPARTMENTS):
            self.stdout.write(f"{name}: {server.url}/exchange")
        for server in servers[:-1]:
            server.start()
        try:
            servers[-1].serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            for server in servers[:-1]:
                server.stop()
            servers[-1].close()

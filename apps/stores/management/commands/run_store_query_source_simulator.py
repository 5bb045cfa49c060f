"""Serve the data-exchange gateway simulator behind the flagship store's query services (STORE-3.x):

    manage.py run_store_query_source_simulator --port 8075

It is seeded with registers for the demo's real-name natural persons and legal persons (read from the
database at start) and with offices in every city for the directory services."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.identity.models import RealNameLevel, User, UserKind
from apps.stores.adapters.query_source import QuerySourceSimulator
from apps.stores.adapters.query_source_demo import demo_records


class Command(BaseCommand):
    help = "Serve the query-source (data-exchange gateway) simulator until Ctrl-C (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8075)

    def handle(self, *args, host, port, **options):
        simulator = QuerySourceSimulator()
        people = User.objects.filter(kind=UserKind.NATURAL_PERSON, real_name_level__gte=RealNameLevel.VERIFIED)
        persons = [(u.id_number.upper(), u.full_name) for u in people[:50] if u.id_number and u.full_name]
        enterprises = list(User.objects.filter(kind=UserKind.LEGAL_PERSON).exclude(credit_code="")
                           .values_list("credit_code", "full_name")[:50])
        for code, records in demo_records(persons, enterprises).items():
            simulator.add_records(code, records)
        server = SimulatorServer(simulator, host=host, port=port, quiet=False)
        self.stdout.write(f"query-source simulator on {server.url}: {len(persons)} persons, "
                          f"{len(enterprises)} enterprises")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()

"""manage.py ops_syslog_receiver [--host 0.0.0.0] [--port 5514]: receive Syslog over UDP (OPS-11.3)."""
from django.conf import settings
from django.core.management.base import BaseCommand

from apps.ops.receiver import SyslogReceiver


class Command(BaseCommand):
    help = "Receive Syslog (RFC 3164 / 5424) over UDP, store the events and raise alerts."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.OPS_SYSLOG_BIND)
        parser.add_argument("--port", type=int, default=settings.OPS_SYSLOG_PORT)

    def handle(self, *args, host, port, **options):
        server = SyslogReceiver(host, port)
        self.stdout.write(f"Syslog receiver listening on udp://{host}:{server.port}")
        try:
            server.serve_forever(poll_interval=0.5)
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            self.stdout.write(f"Stopped: {server.stats}")

"""Run the mobile platform's peer simulators for `make run`:
`manage.py run_mobile_simulators --push-port 8072 --upstream-port 8073 --app-site-port 8074`."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.mobile.adapters.simulators import AppSiteSimulator, PushGatewaySimulator, UpstreamSimulator


class Command(BaseCommand):
    help = "Serve the push channel, interface upstream and H5 app site simulators of 全省事 until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--push-port", type=int, default=8072)
        parser.add_argument("--upstream-port", type=int, default=8073)
        parser.add_argument("--app-site-port", type=int, default=8074)

    def handle(self, *args, **options):
        host = options["host"]
        upstream = SimulatorServer(UpstreamSimulator(), host=host, port=options["upstream_port"], quiet=False).start()
        site = SimulatorServer(AppSiteSimulator("全省事演示应用"), host=host, port=options["app_site_port"],
                               quiet=False).start()
        push = SimulatorServer(PushGatewaySimulator(), host=host, port=options["push_port"], quiet=False)
        self.stdout.write(f"push channel on {push.url}, interface upstream on {upstream.url}, app sites on {site.url}")
        try:
            push.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            push.close()
            upstream.stop()
            site.stop()

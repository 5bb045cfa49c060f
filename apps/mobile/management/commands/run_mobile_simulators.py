"""Run the mobile platform's peer simulators for `make run`:
`manage.py run_mobile_simulators --push-port 8076 --upstream-port 8077 --app-site-port 8078`."""
from django.core.management.base import BaseCommand

from apps.core.adapters.simulators import SimulatorServer
from apps.mobile.adapters.simulators import AppSiteSimulator, PushGatewaySimulator, UpstreamSimulator


class Command(BaseCommand):
    help = "Serve the push channel, interface upstream and H5 app site simulators of 全省事 until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--push-port", type=int, default=8076)
        parser.add_argument("--upstream-port", type=int, default=8077)
        parser.add_argument("--app-site-port", type=int, default=8078)

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

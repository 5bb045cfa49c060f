"""Run the original item library (原事项库, MAT-7.7 write-back), power-list owner (权责清单系统, MAT-7.8) and
national item library (全国事项库, MAT-5.2.1 comparison with other provinces) simulators:
`manage.py run_matters_peer_simulators --item-library-port 8027 --power-list-port 8028 --national-library-port 8029`.

The national library is filled with other provinces' elements for the basic codes published here, derived
deterministically from our own figures (some provinces better, some worse), so the comparison page of the
demo has something to compare."""
import hashlib

from django.core.management.base import BaseCommand
from django.db.models import Avg, Count

from apps.core.adapters.simulators import SimulatorServer
from apps.matters.adapters.item_library import ItemLibrarySimulator, PowerListOwnerSimulator
from apps.matters.adapters.national_library import NationalLibrarySimulator
from apps.matters.models import ApplicationMaterial, ImplementationItem, MatterStatus

PROVINCES = ("浙江省", "广东省", "江苏省", "吉林省", "辽宁省", "四川省")
MAX_CODES = 5000


def other_provinces_rows(max_codes: int = MAX_CODES) -> list[dict]:
    """For each basic code we publish, one row per other province: our averages nudged by a stable
    per-(code, province) factor between −50 % and +30 %."""
    published = ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED)
    ours = list(published.order_by().values("basic_code").annotate(
        committed=Avg("committed_limit_working_days"), items=Count("pk")).order_by("basic_code")[:max_codes])
    materials = dict(ApplicationMaterial.objects.filter(implementation_item__in=published).order_by()
                     .values_list("implementation_item__basic_code").annotate(n=Count("pk")))
    rows = []
    for row in ours:
        row["materials"] = materials.get(row["basic_code"], 0) / row["items"]
        for province in PROVINCES:
            spread = hashlib.sha256(f"{row['basic_code']}|{province}".encode()).digest()[0] / 255  # 0 … 1
            factor = 0.5 + 0.8 * spread
            rows.append({"basic_code": row["basic_code"], "province": province,
                         "committed_limit_working_days": max(0, round((row["committed"] or 0) * factor)),
                         "material_count": max(0, round(row["materials"] * factor)),
                         "visits": 0 if spread < 0.6 else 1})
    return rows


class Command(BaseCommand):
    help = "Serve the 原事项库, 权责清单系统 and 全国事项库 simulators until Ctrl-C (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--item-library-port", type=int, default=8027)
        parser.add_argument("--power-list-port", type=int, default=8028)
        parser.add_argument("--national-library-port", type=int, default=8029)

    def handle(self, *args, **options):
        power_list = SimulatorServer(PowerListOwnerSimulator(), host=options["host"],
                                     port=options["power_list_port"], quiet=False).start()
        national = NationalLibrarySimulator()
        national.publish(other_provinces_rows())
        national_server = SimulatorServer(national, host=options["host"], port=options["national_library_port"],
                                          quiet=False).start()
        library = SimulatorServer(ItemLibrarySimulator(), host=options["host"], port=options["item_library_port"],
                                  quiet=False)
        self.stdout.write(f"item library simulator on {library.url}, power-list owner simulator on {power_list.url}, "
                          f"national item library simulator on {national_server.url} ({len(national.rows)} rows)")
        try:
            library.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            library.close()
            national_server.stop()
            power_list.stop()

"""Demo data of the service map (政务服务地图): halls with coordinates across the province, windows,
staff, stationed matters, bookable slots, themes' places and the offline IP table (demo ranges).

Harbin has the tender's example (MAP-2.1): three halls close together in 南岗区 — 哈尔滨市市民大厦,
哈尔滨市南岗区政务服务中心, 哈尔滨市经济开发区政务服务大厅 — which show as one "3" at province zoom.
Idempotent: halls are keyed by hall number."""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

PROVINCE = "230000000000"
# (hall number, name, region code, type, lng, lat, address, phone, floors, units)
HALLS = [
    ("HLJ-0001", "黑龙江省政务服务中心", PROVINCE, "comprehensive", "126.6552", "45.7626", "哈尔滨市南岗区华山路1号",
     "0451-82620000", "1F 综合受理区\n2F 投资项目审批区\n3F 社会事务区", "省市场监管局\n省公安厅\n省人社厅\n省住建厅"),
    ("HRB-0001", "哈尔滨市市民大厦", "230100000000", "comprehensive", "126.6498", "45.7588",
     "哈尔滨市南岗区红军街15号", "0451-86660000", "1F 综合窗口区、不动产登记区\n2F 社保医保区\n3F 公安户政、出入境区",
     "哈尔滨市市场监督管理局\n哈尔滨市公安局\n哈尔滨市人力资源和社会保障局\n哈尔滨市自然资源局\n国网哈尔滨供电公司"),
    ("HRB-0103", "哈尔滨市南岗区政务服务中心", "230103000000", "comprehensive", "126.6687", "45.7478",
     "哈尔滨市南岗区学府路54号", "0451-82510000", "1F 综合受理区\n2F 社会事务区", "南岗区市场监督管理局\n南岗区人力资源和社会保障局"),
    ("HRB-0130", "哈尔滨市经济开发区政务服务大厅", "230103000000", "specialised", "126.6905", "45.7342",
     "哈尔滨市南岗区长江路368号", "0451-87150000", "1F 企业服务区", "哈尔滨经济技术开发区管委会"),
    ("HRB-0183", "尚志市政务服务中心", "230183000000", "comprehensive", "127.9685", "45.2095",
     "尚志市尚志镇友谊路88号", "0451-53320000", "1F 综合受理区", "尚志市市场监督管理局"),
    ("HRB-0184", "木兰县木兰镇便民服务中心", "230127100000", "comprehensive", "128.0430", "45.9500",
     "木兰县木兰镇东直路2号", "0451-57020000", "", ""),
    ("HRB-0185", "木兰县木兰镇新民村便民服务站", "230127100201", "comprehensive", "128.0900", "45.9760",
     "木兰县木兰镇新民村村委会", "", "", ""),
    ("HRB-0123", "依兰县政务服务中心", "230123000000", "comprehensive", "129.5676", "46.3247",
     "依兰县依兰镇东大直路1号", "0451-57220000", "", "依兰县市场监督管理局"),
    ("MDJ-0001", "牡丹江市政务服务中心", "231000000000", "comprehensive", "129.6330", "44.5520",
     "牡丹江市东安区太平路100号", "0453-6990000", "1F 综合受理区\n2F 不动产登记区", "牡丹江市市场监督管理局\n牡丹江市公安局"),
    ("MDJ-1003", "牡丹江市阳明区政务服务中心", "231003000000", "comprehensive", "129.6350", "44.5960",
     "牡丹江市阳明区光华街10号", "0453-6550000", "", ""),
    ("QQH-0001", "齐齐哈尔市政务服务中心", "230200000000", "comprehensive", "123.9180", "47.3540",
     "齐齐哈尔市龙沙区卜奎大街318号", "0452-2730000", "", "齐齐哈尔市市场监督管理局"),
    ("DQ-0001", "大庆市政务服务中心", "230600000000", "comprehensive", "125.1030", "46.5890",
     "大庆市萨尔图区东风路22号", "0459-6380000", "", ""),
    ("JMS-0001", "佳木斯市政务服务中心", "230800000000", "comprehensive", "130.3190", "46.8000",
     "佳木斯市前进区长安路88号", "0454-8880000", "", ""),
]
SIMULATORS = "http://127.0.0.1"
EXTRA_REGIONS = [("230127100000", "木兰镇", "乡镇街道"), ("230127100201", "新民村", "村社区")]
IP_RANGES = [("127.0.0.0/8", "230100000000", "本机（演示：定位到哈尔滨）"), ("221.208.0.0/16", "230100000000", "演示网段"),
             ("222.171.0.0/16", "231000000000", "演示网段"), ("218.8.0.0/16", "230200000000", "演示网段"),
             ("240e:3a0::/32", "230100000000", "演示 IPv6 网段")]
POIS = [("traffic", "哈尔滨市公安局交通警察支队车辆管理所", "230100000000", "126.7040", "45.7830", "哈尔滨市道外区南直路"),
        ("medical", "哈尔滨医科大学附属第一医院", "230103000000", "126.6358", "45.7610", "哈尔滨市南岗区邮政街23号"),
        ("education", "哈尔滨市教育局招生考试服务大厅", "230100000000", "126.6310", "45.7420", "哈尔滨市南岗区西大直街"),
        ("medical", "牡丹江市第一人民医院", "231000000000", "129.6120", "44.5840", "牡丹江市东安区向阳街")]
WINDOWS = [("1", "综合受理窗口", "comprehensive", "1F", "A区"), ("2", "不动产登记窗口", "specialised", "1F", "B区"),
           ("3", "户政窗口", "specialised", "3F", "C区"), ("4", "社保医保窗口", "comprehensive", "2F", "A区")]
STAFF_NAMES = ["王丽", "李强", "张敏", "刘洋", "陈静", "杨帆"]


def _id_number(serial: int, birth: str, male: bool) -> str:
    from apps.core.validators import id_number_check_character

    digit = (1 if male else 2) + (serial % 4) * 2
    first17 = f"230103{birth}{serial % 100:02d}{digit % 10}"
    return first17 + id_number_check_character(first17)


def build_servicemap(*, log=print) -> int:
    from apps.acceptance.models import (
        BookableMatter, Hall, HallStaff, HallStaffKind, Slot, SlotKind, Window, WindowMatter, WindowStaff,
    )
    from apps.core.models import Organisation, Region
    from apps.matters.models import ImplementationItem
    from apps.servicemap.models import HallConnection, IpRange, PointOfInterest, Theme, VideoChannel

    for code, name, kind in EXTRA_REGIONS:
        Region.objects.get_or_create(code=code, defaults={"name": name, "region_type": kind})
    created = 0
    items = list(ImplementationItem.objects.filter(status="published").order_by("pk")[:40])
    identity = [i for i in items if "身份证" in i.name]
    today = timezone.localdate()
    with transaction.atomic():
        for n, (number, name, code, kind, lng, lat, address, phone, floors, units) in enumerate(HALLS):
            region = Region.objects.filter(code=code).first()
            if region is None or Hall.objects.filter(hall_number=number).exists():
                continue
            organisation = (Organisation.objects.filter(region__code__startswith=region.code[:6] if region.level > 2
                                                        else region.code[:4], kind="business_environment_bureau")
                            .order_by("region_id").first() or Organisation.objects.order_by("pk").first())
            hall = Hall.objects.create(
                hall_number=number, name=name, region=region, organisation=organisation, hall_type=kind,
                address=address, longitude=Decimal(lng), latitude=Decimal(lat), telephone=phone, display_order=n,
                floor_info=floors, resident_units=units, floor_area=Decimal(3000 + 1500 * (n % 5)),
                introduction=f"{name}集中提供企业开办、不动产登记、社保医保、户政等政务服务，推行“一窗受理、集成服务”。",
                transport_info="公交、地铁均可到达", queue_code="A")
            created += 1
            windows = []
            for wn, wname, wkind, floor, zone in WINDOWS[: 2 if region.level >= 4 else 4]:
                department = Organisation.objects.filter(region=hall.region).exclude(pk=organisation.pk).first() \
                    if wkind == "specialised" else None
                windows.append(Window.objects.create(
                    hall=hall, window_number=wn, name=wname, window_type=wkind if department else "comprehensive",
                    department=department, floor=floor, zone=zone, handling_location=f"{floor} {zone}{wn}号窗口",
                    telephone=phone, supports_appointment=True, supports_consultation=True))
            for sn, staff_name in enumerate(STAFF_NAMES[: len(windows) + 1]):
                staff = HallStaff.objects.create(
                    hall=hall, staff_number=f"{number}-{sn + 1:02d}", name=staff_name, front_identifier=f"{sn + 1:02d}号",
                    kind=HallStaffKind.GOVERNMENT_EMPLOYEE if sn == len(windows) else HallStaffKind.DEPARTMENT_STAFF,
                    id_number=_id_number(n * 10 + sn, f"{1968 + (n * 7 + sn * 5) % 32}0{1 + sn % 9}1{sn % 9}", sn % 2 == 0))
                target = windows[sn % len(windows)]
                if target.window_type == "comprehensive" or staff.kind == HallStaffKind.DEPARTMENT_STAFF:
                    WindowStaff.objects.create(window=target, staff=staff)
            for i, item in enumerate((identity + items)[:8]):
                window = windows[0] if item in identity else windows[i % len(windows)]
                if window.window_type == "specialised" and window.department_id not in {
                        item.implementing_body_id, item.handling_department_id}:
                    window = windows[0]
                WindowMatter.objects.get_or_create(window=window, matter=item)
                if number == "HRB-0001" and window.window_number == "1":
                    bookable, _c = BookableMatter.objects.get_or_create(hall=hall, matter=item)
                    for day in range(1, 6):
                        for start in (9, 10, 14):
                            Slot.objects.get_or_create(
                                bookable_matter=bookable, date=today + timedelta(days=day), period_start=time(start),
                                period_end=time(start + 1), defaults={"hall": hall, "capacity": 10,
                                                                      "kind": SlotKind.PRIORITY_HANDLING})
            own = number == "HRB-0130"      # the development zone runs its own booking / consultation systems
            HallConnection.objects.get_or_create(hall=hall, defaults={
                "theme_tags": "企业开办、不动产、社保" if kind == "comprehensive" else "项目审批、企业服务",
                "booking_system_name": "开发区预约系统" if own else "",
                "booking_system_url": f"{SIMULATORS}:8072/bookings" if own else "",
                "consultation_system_url": f"{SIMULATORS}:8073/consultations" if own else ""})
            if number == "HRB-0001":          # live video from the NVR simulator (Procfile: servicemap-sims)
                VideoChannel.objects.create(hall=hall, window=windows[0], name="1号窗口摄像机", brand="海康威视",
                                            channel_number=1, stream_url=f"{SIMULATORS}:8071/channels/1/stream.mjpeg")
                VideoChannel.objects.create(hall=hall, name="一楼等候区", brand="海康威视", channel_number=2,
                                            stream_url=f"{SIMULATORS}:8071/channels/2/stream.mjpeg")
        for network, code, note in IP_RANGES:
            if not IpRange.objects.filter(network=network).exists():
                row = IpRange(network=network, region_id=code, note=note)
                row.clean()
                row.save()
        themes = {t.code: t for t in Theme.objects.all()}
        for code, name, region, lng, lat, address in POIS:
            if code in themes and not PointOfInterest.objects.filter(name=name).exists():
                PointOfInterest.objects.create(theme=themes[code], name=name, region_id=region, address=address,
                                               longitude=Decimal(lng), latitude=Decimal(lat))
    log(f"政务服务地图：新增大厅 {created} 个")
    return created

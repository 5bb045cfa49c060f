"""Demo organisations: provincial bodies, a bureau and departments in every city and county."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from apps.portal.demo import data
from apps.core.models import DataSourceCode, Organisation, Region, RegionLevel
from apps.core.validators import make_credit_code

BATCH = 1000


@dataclass
class Spec:
    name: str
    short_name: str
    kind: str
    region_code: str
    parent_name: str | None
    serial: int = 0

    def credit_code(self) -> str:
        # Government bodies: registration authority 1 (编办), kind 1 (机关); body "D" + serial (demo).
        return make_credit_code("1", "1", self.region_code[:6], f"D{self.serial:08d}")


def _county_label(county: Region, cities: dict[str, Region], duplicates: set[str]) -> str:
    return f"{cities[county.parent_id].name}{county.name}" if county.name in duplicates else county.name


def plan(*, large: bool) -> list[list[Spec]]:
    """The organisations in three tiers (province, cities, counties), parents before children.
    Serial numbers are stable: the --small set is numbered first, --large extras after it."""
    provincial = {name.removeprefix("黑龙江省"): name for name, _s, _k in data.PROVINCIAL_BODIES}
    cities = {r.code: r for r in Region.objects.filter(level=RegionLevel.CITY)}
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))
    duplicates = {n for n, c in Counter(c.name for c in counties).items() if c > 1}
    tiers: list[list[Spec]] = [[Spec(n, s, k, data.PROVINCE_CODE, None) for n, s, k in data.PROVINCIAL_BODIES], [], []]
    for city in cities.values():
        bureau = f"{city.name}营商环境建设监督局"
        tiers[1].append(Spec(bureau, "市营商局", "business_environment_bureau", city.code, data.PROVINCE_BUREAU))
        for suffix, short in data.CITY_DEPARTMENTS:
            tiers[1].append(Spec(city.name + suffix, "市" + short, "department", city.code, provincial.get(suffix)))
    extras: list[Spec] = []
    for county in counties:
        label, city = _county_label(county, cities, duplicates), cities[county.parent_id]
        tiers[2].append(Spec(f"{label}营商环境建设监督局", "营商局", "business_environment_bureau", county.code,
                             f"{city.name}营商环境建设监督局"))
        for index, (suffix, short) in enumerate(data.LARGE_COUNTY_DEPARTMENTS if large else data.COUNTY_DEPARTMENTS):
            parent = city.name + suffix if (suffix, short) in data.CITY_DEPARTMENTS else None
            spec = Spec(label + suffix, short, "department", county.code, parent)
            (tiers[2] if index < len(data.COUNTY_DEPARTMENTS) else extras).append(spec)
    tiers[2].extend(extras)
    serial = 0
    extra_ids = {id(s) for s in extras}
    for spec in [*tiers[0], *tiers[1], *[s for s in tiers[2] if id(s) not in extra_ids], *extras]:
        serial += 1
        spec.serial = serial
    return tiers


def build_organisations(*, large: bool = False, log=print) -> int:
    """Create the planned organisations that do not exist yet (bulk, with tree paths)."""
    existing = set(Organisation.objects.values_list("credit_code", flat=True))
    paths = dict(Organisation.objects.values_list("pk", "tree_path"))
    ids = dict(Organisation.objects.values_list("name", "pk"))
    created = 0
    for tier in plan(large=large):
        new = [Organisation(name=s.name, short_name=s.short_name, kind=s.kind, region_id=s.region_code,
                            parent_id=ids.get(s.parent_name) if s.parent_name else None, credit_code=s.credit_code())
               for s in tier if s.credit_code() not in existing]
        Organisation.objects.bulk_create(new, batch_size=BATCH)
        for organisation in new:
            parent_path = paths[organisation.parent_id] if organisation.parent_id else "/"
            organisation.tree_path = f"{parent_path}{organisation.pk}/"
            paths[organisation.pk], ids[organisation.name] = organisation.tree_path, organisation.pk
        Organisation.objects.bulk_update(new, ["tree_path"], batch_size=BATCH)
        created += len(new)
    log(f"机构：新增 {created}，共 {Organisation.objects.count()}")
    return created


def build_data_sources(log=print) -> int:
    """PORTAL-7.9: a code for each of the 13 cities and for the provincial departments."""
    from apps.core.services.datasources import data_source_code_create

    created = 0
    taken_regions = set(DataSourceCode.objects.exclude(region=None).values_list("region_id", flat=True))
    taken_orgs = set(DataSourceCode.objects.exclude(organisation=None).values_list("organisation_id", flat=True))
    for city in Region.objects.filter(level=RegionLevel.CITY).exclude(code__in=taken_regions):
        data_source_code_create(code=f"HLJ-{city.code[:4]}", name=city.name, region=city)
        created += 1
    departments = Organisation.objects.filter(name__in=data.DATA_SOURCE_DEPARTMENTS).exclude(pk__in=taken_orgs)
    for organisation in departments.order_by("credit_code"):
        data_source_code_create(code=f"HLJ-SZ-{organisation.credit_code[-5:-1]}", name=organisation.short_name,
                                organisation=organisation)
        created += 1
    log(f"数据来源代码：新增 {created}")
    return created

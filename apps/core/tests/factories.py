"""factory_boy factories for the kernel's models."""
import itertools

import factory

from apps.core.models import Organisation, OrganisationKind, Region
from apps.core.validators import make_credit_code

_serial = itertools.count(1)


def next_credit_code(region_code: str = "230000") -> str:
    """A valid USCC (GB 32100) for a government body (registration authority 1, kind 1)."""
    return make_credit_code("1", "1", region_code[:6], f"{next(_serial):08d}X".replace("X", "0")[:9])


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "230000000000"
    name = "黑龙江省"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试局{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:4])
    region = factory.SubFactory(RegionFactory)
    kind = OrganisationKind.DEPARTMENT
    credit_code = factory.LazyAttribute(lambda o: next_credit_code(o.region.code))

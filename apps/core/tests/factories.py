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


def grant(user, *perms: str, role_code: str | None = None):
    """Give `user` a role holding the permissions "app_label.codename" (test helper)."""
    from django.contrib.auth.models import Permission

    from apps.identity.models import Role

    role, _ = Role.objects.get_or_create(code=role_code or f"test-{user.username}", defaults={"name": "测试角色"})
    for perm in perms:
        app_label, codename = perm.split(".")
        role.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
        user.__dict__.pop(cache, None)
    return user


class OrganisationSubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "core.OrganisationSubscriber"

    name = factory.Sequence(lambda n: f"第三方系统{n}")
    endpoint_url = "http://127.0.0.1:9/organisations"

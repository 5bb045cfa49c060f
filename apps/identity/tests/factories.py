import factory

from apps.core.tests.factories import OrganisationFactory
from apps.identity.models import Role, User, UserKind


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"role{n}")
    name = factory.LazyAttribute(lambda o: o.code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    kind = UserKind.NATURAL_PERSON
    password = factory.django.Password("Passw0rd!2026")       # hashed before the one INSERT


class StaffFactory(UserFactory):
    kind = UserKind.STAFF
    is_staff = False
    organisation = factory.SubFactory(OrganisationFactory)


class AccessRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "identity.SystemAccessRequest"

    applicant = factory.SubFactory(StaffFactory)
    system = "data_sharing"
    reason = "工作需要查询共享数据"

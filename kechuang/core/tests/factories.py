import factory

from kechuang.accounts.models import User
from kechuang.core import rules
from kechuang.core.models import Organisation, Person, Region
from kechuang.core.roles import Role

TEST_PASSWORD = "Test@Pass2026"


def _credit_code(n: int) -> str:
    body = f"MA{n:06d}"
    return rules.make_credit_code("9", "1", "370306", body)


def _id_number(n: int) -> str:
    first17 = f"370306198{n % 10}0101{n % 1000:03d}"
    return first17 + rules.id_check_char(first17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(_credit_code)
    kind = Organisation.Kind.ENTERPRISE
    region = factory.LazyFunction(lambda: Region.objects.get(code="370306001"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    id_number = factory.Sequence(_id_number)
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    region = factory.LazyFunction(lambda: Region.objects.get(code="370306"))
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    class Params:
        staff = factory.Trait(role=Role.STAFF)
        leader = factory.Trait(role=Role.LEADER)
        city = factory.Trait(
            role=Role.STAFF, region=factory.LazyFunction(lambda: Region.objects.get(code="370300"))
        )
        enterprise = factory.Trait(
            role=Role.ENTERPRISE, region=None, organisation=factory.SubFactory(OrganisationFactory)
        )
        expert = factory.Trait(role=Role.EXPERT, region=None, person=factory.SubFactory(PersonFactory))
        commissioner = factory.Trait(
            role=Role.COMMISSIONER, region=None, person=factory.SubFactory(PersonFactory)
        )
        sysadmin = factory.Trait(role=Role.SYSADMIN, region=None)
        secadmin = factory.Trait(role=Role.SECADMIN, region=None)
        auditadmin = factory.Trait(role=Role.AUDITADMIN, region=None)

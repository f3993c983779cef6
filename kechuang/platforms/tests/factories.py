import datetime as dt

import factory

from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.platforms.models import Membership, Platform


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    name = factory.Sequence(lambda n: f"测试平台{n}")
    kind = "alliance"
    level = "municipal"
    status = "recognised"
    operator = factory.SubFactory(OrganisationFactory)
    region = factory.LazyFunction(lambda: Region.objects.get(code="370306"))
    recognised_on = dt.date(2020, 3, 1)
    recognition_document = "淄科发〔2020〕1号"

    class Params:
        planning = factory.Trait(status="planning", recognised_on=None, recognition_document="")
        published = factory.Trait(is_published=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    platform = factory.SubFactory(PlatformFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = dt.date(2020, 4, 1)

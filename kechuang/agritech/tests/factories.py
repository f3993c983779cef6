import datetime as dt
import io

import factory
import segno

from kechuang.agritech.models import Commissioner, Pairing, ServiceLog, ServiceProvider, VillageFlag
from kechuang.core.models import Region
from kechuang.core.tests.factories import PersonFactory


def village(code: str = "370306100901", name: str = "测试村", town: str = "370306100") -> Region:
    parent = Region.objects.get(code=town)
    return Region.objects.create(
        code=code, name=name, level=Region.Level.VILLAGE, parent=parent, path=f"{parent.path}{code}/"
    )


def png_bytes() -> bytes:
    buf = io.BytesIO()
    segno.make("photo").save(buf, kind="png")
    return buf.getvalue()


class VillageFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageFlag

    year = 2020
    flag = VillageFlag.Flag.KEY_POVERTY


class CommissionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commissioner

    kind = Commissioner.Kind.INDIVIDUAL
    name = factory.LazyAttribute(lambda o: o.person.name)
    person = factory.SubFactory(PersonFactory)
    source = Commissioner.Source.UNIVERSITY
    level = Commissioner.Level.PROVINCIAL
    expertise = "果树栽培、设施蔬菜"
    term_start = dt.date(2019, 1, 1)
    term_end = dt.date(2022, 12, 31)
    region = factory.LazyFunction(lambda: Region.objects.get(code="370306"))


class PairingFactory(factory.django.DjangoModelFactory):
    """An accepted, active pairing with a village (use status=... for others)."""

    class Meta:
        model = Pairing

    commissioner = factory.SubFactory(CommissionerFactory)
    target_kind = Pairing.TargetKind.VILLAGE
    region = factory.LazyAttribute(lambda o: o.village)
    proposed_by = Pairing.Side.COMMISSIONER
    status = Pairing.Status.ACTIVE
    field = "果树栽培"
    tasks = "技术指导"
    targets = "培训100人次"
    term_start = dt.date(2020, 1, 1)
    term_end = dt.date(2021, 12, 31)
    accepted_on = dt.date(2020, 3, 1)


class ServiceLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLog

    pairing = factory.SubFactory(PairingFactory)
    date = dt.date(2020, 5, 6)
    place = "村委会"
    content = "果园修剪指导"
    people_trained = 10


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvider

    name = factory.Sequence(lambda n: f"服务主体{n}")

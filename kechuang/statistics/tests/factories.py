import datetime as dt

import factory
from django.utils import timezone

from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.statistics.models import EnterpriseFact, FactSource, FactStatus, RegionFact


class EnterpriseFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseFact

    organisation = factory.SubFactory(OrganisationFactory)
    town = factory.LazyAttribute(lambda o: o.organisation.region)
    year = 2020
    status = FactStatus.FINAL
    source = FactSource.STAFF_IMPORT
    reported_on = dt.date(2020, 6, 1)
    submitted_at = factory.LazyFunction(timezone.now)

    class Params:
        estimate = factory.Trait(status=FactStatus.ESTIMATE)
        preliminary = factory.Trait(status=FactStatus.PRELIMINARY)
        with_rd = factory.Trait(has_rd_projects=True, rd_project_count=2)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved like a service writes a fact: with its summary group (`statistics.totals`) in the same
        transaction, so the indicators read the fact as they would in production."""
        from django.db import transaction

        from kechuang.statistics import totals

        with transaction.atomic():
            fact = super()._create(model_class, *args, **kwargs)
            totals.refresh([totals.key_of(fact)])
        return fact


class RegionFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionFact

    region = factory.LazyFunction(lambda: Region.objects.get(code="370306"))
    year = 2020
    status = FactStatus.FINAL
    reported_on = dt.date(2020, 6, 1)

"""`__any_of` (core.lookups): what `__in` selects, as one array parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.core.models import Organisation
from kechuang.core.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_any_of_selects_what_in_selects():
    firms = [OrganisationFactory(name=f"查找{n}") for n in range(5)]
    ids = [firms[0].pk, firms[2].pk, firms[2].pk, None, firms[4].pk, 10**9]
    names = [firms[1].name, "无此单位", firms[3].name]
    cases = [
        ({"pk__any_of": ids}, {"pk__in": ids}),
        ({"name__any_of": names}, {"name__in": names}),
        ({"pk__any_of": []}, {"pk__in": []}),
        ({"pk__any_of": [None]}, {"pk__in": [None]}),
        ({"pk__any_of": Organisation.objects.filter(name="查找3").values("pk")}, {"pk__in": [firms[3].pk]}),
    ]
    for any_of, in_ in cases:
        got = set(Organisation.objects.filter(**any_of).values_list("pk", flat=True))
        assert got == set(Organisation.objects.filter(**in_).values_list("pk", flat=True))
    assert set(Organisation.objects.exclude(pk__any_of=ids[:1]).filter(name__startswith="查找")) == set(
        firms[1:]
    )
    region = firms[0].region  # a foreign key, by id or by instance, as `__in` takes them
    for values in ([region.pk], [region], [region.pk, None]):
        got = set(Organisation.objects.filter(region__any_of=values))
        assert got == set(Organisation.objects.filter(region__in=values)) and firms[0] in got
        assert got == set(Organisation.objects.filter(region_id__any_of=[region.pk]))


def test_any_of_sends_one_parameter_on_postgresql():
    firm = OrganisationFactory()
    ids = [firm.pk, *range(10**9, 10**9 + 199)]
    with CaptureQueriesContext(connection) as ctx:
        assert list(Organisation.objects.filter(pk__any_of=ids).values_list("pk", flat=True)) == [firm.pk]
    sql = ctx.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and sql.count(", ") < 20  # the ids as one array literal, not 200 placeholders
    else:
        assert " IN (" in sql

"""`core.bulk`: rows written without model instances read back as the ORM would have written them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from kechuang.core import bulk
from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.statistics.models import EnterpriseFact, FactSource

pytestmark = pytest.mark.django_db

COLUMNS = ("organisation_id", "town_id", "year", "quarter", "month", "source", "reported_on", "submitted_at",
           "rd_internal", "has_rd_projects")  # fmt: skip


def _rows(firms, town, year=2020):
    at = timezone.now().replace(microsecond=123456)
    return [
        (
            f.pk,
            town.pk,
            year,
            3,
            None,
            FactSource.STAFF_IMPORT,
            dt.date(2020, 10, 5),
            at,
            Decimal("12.34"),
            i == 0,
        )
        for i, f in enumerate(firms)
    ]


def test_rows_read_back_with_their_values_and_the_model_defaults():
    town = Region.objects.get(code="370306001")
    firms = [OrganisationFactory(region=town) for _ in range(3)]
    rows = _rows(firms, town)
    with transaction.atomic():
        ids = bulk.insert_rows(EnterpriseFact, COLUMNS, rows, returning_ids=True)
    assert len(ids) == 3 and ids == sorted(ids)
    facts = {f.pk: f for f in EnterpriseFact.objects.filter(pk__in=ids)}
    for pk, firm, row in zip(ids, firms, rows, strict=True):
        fact = facts[pk]
        assert fact.organisation_id == firm.pk and fact.period.quarter == 3 and fact.month is None
        assert fact.reported_on == dt.date(2020, 10, 5) and fact.submitted_at == row[7]
        assert fact.rd_internal == Decimal("12.34") and fact.rd_hnte is None
        assert fact.status == EnterpriseFact._meta.get_field("status").default  # not given: the default
        assert fact.version == 1 and fact.above_size is False
    assert facts[ids[0]].has_rd_projects and not facts[ids[1]].has_rd_projects


def test_allocated_ids_follow_every_id_ever_used_and_the_orm_continues_after_them():
    town = Region.objects.get(code="370306001")
    firm = OrganisationFactory(region=town)
    last = EnterpriseFact.objects.create(
        organisation=firm, town=town, year=2019, source=FactSource.ENTERPRISE,
        reported_on="2020-01-05", submitted_at=timezone.now(),
    )  # fmt: skip
    last_pk = last.pk
    last.delete()  # an id once used is not given out again
    with transaction.atomic():
        [pk] = bulk.insert_rows(EnterpriseFact, COLUMNS, _rows([firm], town), returning_ids=True)
    assert pk > last_pk
    after = EnterpriseFact.objects.create(
        organisation=firm, town=town, year=2021, source=FactSource.ENTERPRISE,
        reported_on="2022-01-05", submitted_at=timezone.now(),
    )  # fmt: skip
    assert after.pk > pk


def test_json_columns_and_unknown_required_columns():
    with transaction.atomic():
        count = bulk.insert_rows(
            AuditEvent,
            ("occurred_at", "action", "changes"),
            [(timezone.now(), "bulk.test", {"名称": "研发", "n": [1, "2"]})],
        )
    assert count == 1
    event = AuditEvent.objects.get(action="bulk.test")
    assert event.changes == {"名称": "研发", "n": [1, "2"]} and event.actor_label == "" and event.ip is None
    with pytest.raises(ValueError, match="organisation"), transaction.atomic():
        bulk.insert_rows(EnterpriseFact, ("year",), [(2020,)])


def test_constraint_violations_still_raise_inside_the_callers_transaction():
    town = Region.objects.get(code="370306001")
    firm = OrganisationFactory(region=town)
    with transaction.atomic():
        bulk.insert_rows(EnterpriseFact, COLUMNS, _rows([firm], town))
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(EnterpriseFact, COLUMNS, _rows([firm], town))  # the same firm and period again
    assert EnterpriseFact.objects.filter(organisation=firm).count() == 1


def test_upsert_inserts_new_rows_and_updates_the_named_columns_of_existing_ones():
    district = Region.objects.get(code="370306")
    columns = ("code", "name", "level", "parent_id", "path", "contact_office")
    first = [("370306901", "甲街道", 4, district.pk, f"{district.path}370306901/", "一科")]
    with transaction.atomic():
        assert bulk.upsert_rows(Region, columns, first, unique=["code"], update=["name"]) == 1
    again = [
        ("370306901", "甲街道（更名）", 4, district.pk, f"{district.path}370306901/", "二科"),
        ("370306902", "乙街道", 4, district.pk, f"{district.path}370306902/", "三科"),
    ]
    with transaction.atomic():
        assert bulk.upsert_rows(Region, columns, again, unique=["code"], update=["name"]) == 2
    renamed = Region.objects.get(code="370306901")
    # Only the `update` columns change.
    assert (renamed.name, renamed.contact_office) == ("甲街道（更名）", "一科")
    assert Region.objects.get(code="370306902").is_active is True  # a default filled as the ORM would
    assert Region.objects.filter(code__in=["370306901", "370306902"]).count() == 2

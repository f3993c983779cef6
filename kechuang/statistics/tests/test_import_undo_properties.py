"""Property (issue 21): any sequence of imports (blank cells, 清空, new and changed rows), corrections, voids
and undos, then undoing them all in reverse order, gives back the original figures for every date — every
fact known on the date and every summary group the indicators read."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.core import versions
from kechuang.core.models import Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.core.tests.undo_stack import UndoStack
from kechuang.statistics import services
from kechuang.statistics.models import EnterpriseFact, FactTotal

HEADER = ["统一社会信用代码", "统计期", "数据状态", "R&D经费内部支出", "研发项目数", "工业总产值"]
PERIODS = ("2020", "2020-10")
START = dt.date(2020, 12, 5)

CELL = st.sampled_from([None, None, "清空", 10, Decimal("20.5"), 35])
ROWS = st.lists(
    st.tuples(
        st.integers(0, 2), st.integers(0, 1), st.sampled_from(["预计", "快报", "年报"]), CELL, CELL, CELL
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda r: r[:2],
)
STEP = st.tuples(
    st.one_of(
        st.tuples(st.just("import"), ROWS),
        st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from([Decimal(7), Decimal("99.9")])),
        st.tuples(st.just("void"), st.integers(0, 50)),
        st.tuples(st.just("undo")),
    ),
    st.booleans(),  # the next step a day later
)


def sheet(firms, rows) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for firm, period, status, rd, count, output in rows:
        count = count if count in (None, "清空") else int(count)
        wb.active.append([firms[firm].credit_code, PERIODS[period], status, rd, count, output])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def figures(day):
    facts = versions.known_on(EnterpriseFact.versions.all(), day)
    fields = ("organisation_id", "year", "month", "town_id", "status", "rd_internal", "rd_project_count")
    rows = sorted((tuple(getattr(f, n) for n in (*fields, "industrial_output")) for f in facts), key=repr)
    sums = {}
    for t in FactTotal.objects.filter(reported_on__lte=day).exclude(superseded_on__lte=day):
        key = (t.year, t.month, t.town_id)
        n, rd, out = sums.get(key, (0, 0, 0))
        sums[key] = (n + t.rows, rd + (t.rd_internal or 0), out + (t.industrial_output or 0))
    return rows, {k: v for k, v in sums.items() if v[0]}


class Run(UndoStack):
    def __init__(self, staff, firms, settings):
        super().__init__("statistics", staff)
        self.firms, self.settings = firms, settings

    def day(self, day):
        self.settings.KECHUANG = {**self.settings.KECHUANG, "AS_OF": day}

    def pick(self, n):
        facts = list(EnterpriseFact.objects.order_by("pk"))
        return facts[n % len(facts)] if facts else None

    def step(self, op):
        kind = op[0]
        if kind == "import":
            self.commit(sheet(self.firms, op[1]))
        elif kind == "edit" and (fact := self.pick(op[1])) is not None:
            old = {"rd_internal": fact.rd_internal, "status": fact.status}
            try:
                services.fact_correct(
                    actor=self.staff, fact=fact, values={"rd_internal": op[2]}, reason="更正"
                )
            except ValidationError:
                return
            self.stack.append(("edit", fact.pk, old))
        elif kind == "void" and (fact := self.pick(op[1])) is not None:
            services.fact_void(actor=self.staff, fact=fact, reason="录入错误")
            self.stack.append(("void", fact.pk))
        elif kind == "undo":
            self.undo_newest_import()

    def revert(self, entry):
        if entry[0] == "edit":
            fact = EnterpriseFact.objects.get(pk=entry[1])
            services.fact_correct(actor=self.staff, fact=fact, values=entry[2], reason="撤销更正")
        else:
            fact = EnterpriseFact.current.get(pk=entry[1])
            values = {name: getattr(fact, name) for name in services.VALUE_FIELDS}
            services.fact_submit(
                actor=self.staff, organisation=fact.organisation, period=fact.period, values=values,
                status=fact.status, source=fact.source, town=fact.town,
            )  # fmt: skip


@pytest.fixture
def world(db, staff, settings):
    firms = [
        OrganisationFactory(region=Region.objects.get(code=c))
        for c in ("370306001", "370306100", "370306001")
    ]
    run = Run(staff, firms, settings)
    run.day(dt.date(2020, 12, 1))
    rows = [(0, 0, "预计", 12, 2, 300), (1, 0, "快报", 8, None, 100), (0, 1, "快报", 3, 1, None)]
    assert run.commit(sheet(firms, rows))
    run.stack.clear()  # the starting data, never undone
    return run


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, max_size=8))
def test_any_history_undone_in_reverse_gives_back_the_figures_of_every_date(world, steps):
    with transaction.atomic():
        day = START
        world.day(day)
        days = [dt.date(2020, 11, 30), dt.date(2020, 12, 1), START]
        before = {d: figures(d) for d in days}
        for op, later in steps:
            world.step(op)
            if later:
                day += dt.timedelta(days=1)
                world.day(day)
        world.undo_all()
        for d in [*days[:2], day, day + dt.timedelta(days=30)]:
            assert figures(d) == before[min(d, START)], d
        transaction.set_rollback(True)

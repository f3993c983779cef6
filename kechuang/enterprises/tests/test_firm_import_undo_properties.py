"""Property (issue 21, ADR 0030): any sequence of firm-list imports (new and known firms, blank cells, 清空),
edits on the page (address, staff counts) and undos, then undoing everything left in reverse order, gives
back the original firm list — the active firms with their fields and profiles — and every undo on the way
is allowed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kechuang.core import services as core_services
from kechuang.core.models import Organisation
from kechuang.core.tests.factories import OrganisationFactory, _credit_code
from kechuang.core.tests.undo_stack import UndoStack
from kechuang.enterprises import services
from kechuang.enterprises.models import EnterpriseProfile

HEADER = ["企业名称", "统一社会信用代码", "所在镇街", "地址", "职工总数", "科技人员数"]
NEW_CODES = (_credit_code(920001), _credit_code(920002))
ADDRESS = st.sampled_from([None, None, "清空", "甲路1号", "乙路2号"])
STAFF = st.sampled_from([None, None, 40, 90])
ROWS = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from([None, "王村镇", "大街街道"]), ADDRESS, STAFF, STAFF),
    min_size=1,
    max_size=4,
    unique_by=lambda r: r[0],
)
STEP = st.one_of(
    st.tuples(st.just("import"), ROWS),
    st.tuples(st.just("address"), st.integers(0, 3), st.sampled_from(["丙路3号", "甲路1号"])),
    st.tuples(st.just("staff"), st.integers(0, 3), st.sampled_from([60, 90])),
    st.tuples(st.just("undo")),
)
PROFILE = ("staff_count", "st_staff_count")


class Run(UndoStack):
    def __init__(self, staff, firms):
        super().__init__("enterprises", staff)
        self.firms = firms  # (name, credit code): two on file, two new

    def org(self, n) -> Organisation | None:
        return Organisation.objects.filter(credit_code=self.firms[n][1]).first()

    def sheet(self, rows) -> bytes:
        book = Workbook()
        book.active.append(HEADER)
        for n, town, address, staff_count, st_count in rows:
            book.active.append([*self.firms[n], town, address, staff_count, st_count])
        data = io.BytesIO()
        book.save(data)
        return data.getvalue()

    def step(self, op):
        kind = op[0]
        if kind == "import":
            self.commit(self.sheet(op[1]))
        elif kind == "address" and (org := self.org(op[1])) is not None:
            old = org.address
            core_services.organisation_update(actor=self.staff, organisation=org, address=op[2])
            self.stack.append(("address", org.pk, old))
        elif kind == "staff" and (org := self.org(op[1])) is not None:
            profile = EnterpriseProfile.objects.filter(organisation=org).first() or EnterpriseProfile()
            old = {name: getattr(profile, name) for name in PROFILE}
            try:
                services.profile_update(actor=self.staff, organisation=org, staff_count=op[2])
            except ValidationError:  # fewer staff than S&T staff: refused, nothing changed
                return
            self.stack.append(("staff", org.pk, old))
        elif kind == "undo":
            self.undo_newest_import()

    def revert(self, entry):
        org = Organisation.objects.get(pk=entry[1])
        if entry[0] == "address":
            core_services.organisation_update(actor=self.staff, organisation=org, address=entry[2])
        else:
            services.profile_update(actor=self.staff, organisation=org, **entry[2])


def firm_list():
    """The active firms with their fields and profile figures (no profile reads as a blank one)."""
    out = []
    for org in Organisation.objects.filter(is_active=True).order_by("credit_code"):
        profile = EnterpriseProfile.objects.filter(organisation=org).first() or EnterpriseProfile()
        fields = (org.credit_code, org.name, org.region_id, org.address)
        out.append((*fields, *(getattr(profile, name) for name in PROFILE)))
    return out


@pytest.fixture
def world(db, staff):
    known = [OrganisationFactory(address="旧路9号"), OrganisationFactory()]
    EnterpriseProfile.objects.create(organisation=known[0], staff_count=50, st_staff_count=5)
    firms = [(o.name, o.credit_code) for o in known]
    firms += [(f"淄博新{i}有限公司", code) for i, code in enumerate(NEW_CODES)]
    return Run(staff, firms)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, max_size=8))
def test_any_history_undone_in_reverse_gives_back_the_firm_list(world, steps):
    with transaction.atomic():
        before = firm_list()
        for op in steps:
            world.step(op)
        world.undo_all()
        assert firm_list() == before
        transaction.set_rollback(True)

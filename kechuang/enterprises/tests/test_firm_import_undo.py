"""Undo of a firm-list import (企业名单, ADR 0030): organisations and profiles keep no versions, so the import
keeps what it wrote (old → new per field) and undo gives the old values back where they still hold what it
wrote; firms it created are deactivated, never deleted."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from kechuang.core import imports
from kechuang.core import services as core_services
from kechuang.core.imports import history, jobs
from kechuang.core.models import AuditEvent, ImportRecord, Organisation, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory, _credit_code
from kechuang.enterprises import selectors, services
from kechuang.enterprises.models import EnterpriseProfile, Qualification, QualificationKind

pytestmark = pytest.mark.django_db
HEADER = ["企业名称", "统一社会信用代码", "所在镇街", "地址", "职工总数", "科技人员数"]


def sheet(rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(staff, rows, name="名单.xlsx"):
    return jobs.import_now(actor=staff, spec=imports.get("enterprises"), data=sheet(rows), filename=name)


@pytest.fixture
def firm(db):
    org = OrganisationFactory(address="旧路1号")
    EnterpriseProfile.objects.create(organisation=org, staff_count=50, st_staff_count=5)
    return org


def test_undo_gives_back_changed_fields_and_deactivates_new_firms(staff, firm):
    new_code = _credit_code(910001)
    job = run(
        staff,
        [
            [firm.name, firm.credit_code, "王村镇", "新路2号", 80, None],
            ["淄博新建材料有限公司", new_code, "王村镇", "工业园1号", 30, 3],
        ],
    )
    firm.refresh_from_db()
    assert (firm.address, firm.region.name, firm.enterprise_profile.staff_count) == ("新路2号", "王村镇", 80)
    kept = ImportRecord.objects.filter(job=job, model="core.organisation", record_id=firm.pk).get()
    assert kept.changes["address"] == ["旧路1号", "新路2号"] and kept.version_before == 1
    new = Organisation.objects.get(credit_code=new_code)
    assert history.undo_refusal(job, staff) == ""

    history.undo(job, actor=staff)

    firm.refresh_from_db()
    assert (firm.address, firm.region.code, firm.is_active) == ("旧路1号", "370306001", True)
    profile = EnterpriseProfile.objects.get(organisation=firm)
    assert (profile.staff_count, profile.st_staff_count) == (50, 5)
    new.refresh_from_db()
    assert not new.is_active and new.name == "淄博新建材料有限公司"  # kept, as imported
    assert Organisation.objects.filter(credit_code=new_code).count() == 1  # nothing deleted
    assert not selectors.firms_in_region(Region.objects.get(code="370306")).filter(pk=new.pk).exists()
    events = AuditEvent.objects.filter(action="import.undo_record")
    assert {(e.object_type, e.object_id) for e in events} >= {
        ("core.organisation", str(firm.pk)),
        ("core.organisation", str(new.pk)),
    }
    assert AuditEvent.objects.filter(action="import.undo", object_id=str(job.pk)).exists()
    job.refresh_from_db()
    assert history.undo_refusal(job, staff) == "该导入已撤销。"


def test_a_later_edit_of_a_field_the_import_wrote_refuses_naming_field_and_editor(staff, firm):
    job = run(staff, [[firm.name, firm.credit_code, None, "新路2号", None, None]])
    editor = UserFactory(staff=True, username="lisi")
    firm.refresh_from_db()
    core_services.organisation_update(actor=editor, organisation=firm, address="另一路3号")

    reason = history.undo_refusal(job, staff)

    assert "「地址」" in reason and "lisi" in reason and "另一路3号" in reason and "新路2号" in reason
    with pytest.raises(Exception, match="不能撤销"):
        history.undo(job, actor=staff)
    firm.refresh_from_db()
    assert firm.address == "另一路3号"  # the later edit is not overwritten


def test_a_later_edit_of_another_field_stays_and_the_import_is_undone(staff, firm):
    job = run(staff, [[firm.name, firm.credit_code, None, "新路2号", None, None]])
    firm.refresh_from_db()
    core_services.organisation_update(actor=staff, organisation=firm, legal_representative="王五")

    history.undo(job, actor=staff)

    firm.refresh_from_db()
    assert (firm.address, firm.legal_representative) == ("旧路1号", "王五")


def test_imports_are_undone_in_reverse_order(staff, firm):
    first = run(staff, [[firm.name, firm.credit_code, None, "新路2号", 60, None]], "a.xlsx")
    second = run(staff, [[firm.name, firm.credit_code, None, "三路3号", None, None]], "b.xlsx")
    assert staff.username in history.undo_refusal(first, staff)

    history.undo(second, actor=staff)
    assert history.undo_refusal(first, staff) == ""
    history.undo(first, actor=staff)

    firm.refresh_from_db()
    assert (firm.address, firm.enterprise_profile.staff_count) == ("旧路1号", 50)


def test_a_new_firm_with_records_attached_since_is_not_deactivated(staff):
    code = _credit_code(910002)
    job = run(staff, [["淄博后来有资质有限公司", code, "王村镇", None, None, None]])
    org = Organisation.objects.get(credit_code=code)
    services.qualification_record(
        actor=staff, organisation=org, kind=QualificationKind.objects.get(code="tech_sme"),
        number="2020370306A0000001", valid_from=dt.date(2020, 6, 1),
    )  # fmt: skip

    reason = history.undo_refusal(job, staff)

    assert "淄博后来有资质有限公司" in reason and "新增" in reason and "资质" in reason
    assert Qualification.objects.filter(organisation=org).exists()
    org.refresh_from_db()
    assert org.is_active


def test_reimporting_a_firm_whose_import_was_undone_makes_it_active_again(staff):
    code = _credit_code(910003)
    rows = [["淄博再导入有限公司", code, "王村镇", None, 10, None]]
    history.undo(run(staff, rows), actor=staff)
    spec = imports.get("enterprises")
    checked = imports.preview(spec, sheet(rows), staff)
    assert checked.diffs[0].outcome == "changed" and "重新启用" in checked.diffs[0].note

    again = run(staff, rows)

    assert Organisation.objects.get(credit_code=code).is_active
    history.undo(again, actor=staff)
    assert not Organisation.objects.get(credit_code=code).is_active


def test_only_staff_the_policy_lets_change_every_firm_may_undo(staff, firm, other_district):
    job = run(staff, [[firm.name, firm.credit_code, None, "新路2号", None, None]])
    outsider = UserFactory(staff=True, region=other_district)
    assert history.undo_refusal(job, outsider) == "您没有撤销该导入的权限。"
    assert history.undo_refusal(job, UserFactory(leader=True)) == "您没有撤销该导入的权限。"


def test_an_undo_that_would_leave_a_profile_inconsistent_is_refused(staff, firm):
    job = run(staff, [[firm.name, firm.credit_code, None, None, 80, None]])  # 职工总数 50 → 80
    services.profile_update(actor=staff, organisation=firm, st_staff_count=70)  # fine with 80, not with 50
    with pytest.raises(Exception, match="不一致"):
        history.undo(job, actor=staff)
    assert EnterpriseProfile.objects.get(organisation=firm).staff_count == 80

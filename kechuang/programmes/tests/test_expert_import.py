"""The 专家库 import (`programmes_experts`): new numbers add experts to the staff member's pool, known ones are
updated, out-of-pool and invalid rows refuse the file with their row numbers; every write is audited."""

import pytest

from kechuang.core import imports
from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.core.tests.test_dictionaries import book
from kechuang.programmes.models import Expert

pytestmark = pytest.mark.django_db
HEAD = ["姓名", "手机", "类别", "工作单位", "职称", "专业领域代码", "电子邮箱"]


def _staff(code="370306"):
    return UserFactory(staff=True, region=Region.objects.get(code=code))


def test_experts_are_added_then_updated_and_audited():
    staff, employer = _staff(), OrganisationFactory()
    spec = imports.get("programmes_experts")
    rows = [
        ["王一", "13900000001", "技术专家", employer.credit_code, "教授", "1、4", "wang@example.com"],
        ["李二", "13900000002", "财务专家", None, None, None, None],
    ]
    result = imports.commit(spec, book(HEAD, rows), actor=staff)
    assert (result.created, result.updated) == (2, 0)
    wang = Expert.objects.select_related("person").get(person__phone="13900000001")
    assert (wang.person.name, wang.category, wang.title, wang.fields) == (
        "王一",
        "technical",
        "教授",
        ["1", "4"],
    )
    assert wang.employer == wang.person.organisation == employer and wang.region == staff.region
    assert wang.person.email == "wang@example.com" and wang.version == 1
    events = AuditEvent.objects.filter(actor=staff, action__regex=r"^(person|expert)\.")
    actions = list(events.values_list("action", flat=True))
    assert sorted(actions) == ["expert.create"] * 2 + ["person.create"] * 2

    again = [["王一", "13900000001", "技术专家", None, "研究员", None, None], rows[1]]
    checked = imports.preview(spec, book(HEAD, again), staff)
    assert [d.outcome for d in checked.diffs] == ["changed", "unchanged"]
    result = imports.commit(spec, book(HEAD, again), actor=staff, checked=checked)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    wang.refresh_from_db()
    assert (wang.title, wang.fields, wang.employer, wang.version) == ("研究员", ["1", "4"], employer, 2)
    update = AuditEvent.objects.get(action="expert.update", object_id=str(wang.pk))
    assert update.changes == {"title": ["教授", "研究员"]}


def test_rows_outside_the_pool_or_invalid_refuse_the_whole_file():
    spec = imports.get("programmes_experts")
    imports.commit(
        spec, book(HEAD, [["张三", "13900000003", "技术专家", None, None, None, None]]), actor=_staff()
    )
    other = _staff("370303")
    rows = [
        ["新人", "13900000004", "技术专家", None, None, None, None],
        ["张三", "13900000003", "财务专家", None, None, None, None],
        ["坏邮箱", "13900000005", "技术专家", None, None, None, "not-an-address"],
    ]
    with pytest.raises(imports.ImportRejected) as refused:
        imports.commit(spec, book(HEAD, rows), actor=other)
    errors = {e.row_number: e for e in refused.value.errors}
    assert sorted(errors) == [3, 4]
    assert errors[3].message == "该专家不在您负责的专家库中，不能修改。" and errors[3].column == "手机"
    assert "Email" in errors[4].message
    assert not Expert.objects.filter(person__phone__in=["13900000004", "13900000005"]).exists()
    assert Expert.objects.get(person__phone="13900000003").category == "technical"

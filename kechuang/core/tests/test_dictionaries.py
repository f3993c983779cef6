"""数据字典 maintained on a page and by import (issue 21 item 5): the instance's maintainers add, rename and
retire items (never delete), codes are fixed, names unique, parents of the same dictionary without cycles;
everyone else reads; a firm file with a new industry goes through once the item is added."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core import imports, services
from kechuang.core.models import AuditEvent, DictItem, DictType, Region
from kechuang.core.permissions import dictionaries
from kechuang.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def book(head, rows) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(list(head))
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def industry(db):
    return DictType.objects.get(code="industry")


def test_who_maintains_the_dictionaries(staff, leader, enterprise_user, settings):
    sysadmin = UserFactory(role="sysadmin")
    zhangdian = UserFactory(role="staff", region=Region.objects.get(code="370303"))
    city = UserFactory(role="staff", region=Region.objects.get(code="370300"))
    assert settings.KECHUANG["HOME_REGION_CODE"] == "370306"
    assert [dictionaries.may(u, "change") for u in (staff, city, sysadmin)] == [True, True, True]
    assert [dictionaries.may(u, "change") for u in (zhangdian, leader, enterprise_user)] == [False] * 3
    assert all(dictionaries.may(u, "view") for u in (zhangdian, leader, enterprise_user))
    with pytest.raises(ValidationError, match="只能由系统管理员或本平台主管科技局的工作人员维护"):
        services.dict_item_save(actor=zhangdian, dict_type=DictType.objects.first(), code="X", name="某项")


def test_items_are_added_renamed_and_retired_never_deleted(staff, industry):
    item = services.dict_item_save(actor=staff, dict_type=industry, code="Z9", name="新兴服务业")
    assert (
        item.sort
        > DictItem.objects.filter(dict_type=industry).exclude(pk=item.pk).order_by("-sort")[0].sort - 1
    )
    with pytest.raises(ValidationError, match="代码创建后不能修改"):
        services.dict_item_save(actor=staff, dict_type=industry, code="Z8", name="x", item=item)
    with pytest.raises(ValidationError, match="已有名称「制造业」"):
        services.dict_item_save(actor=staff, dict_type=industry, code="Z9", name="制造业", item=item)
    with pytest.raises(ValidationError, match="已有代码「C」"):
        services.dict_item_save(actor=staff, dict_type=industry, code="C", name="另一个")
    child = services.dict_item_save(actor=staff, dict_type=industry, code="Z91", name="子项", parent=item)
    with pytest.raises(ValidationError, match="不能是该项本身或其下级"):
        services.dict_item_save(
            actor=staff, dict_type=industry, code="Z9", name="新兴服务业", parent=child, item=item
        )
    other = DictItem.objects.filter(dict_type__code="hnte_field").first()
    with pytest.raises(ValidationError, match="同一字典"):
        services.dict_item_save(actor=staff, dict_type=industry, code="Z92", name="跨字典", parent=other)
    services.dict_item_save(
        actor=staff, dict_type=industry, code="Z9", name="新兴服务业", is_active=False, item=item
    )
    item.refresh_from_db()
    assert not item.is_active and DictItem.objects.filter(pk=item.pk).exists()
    actions = list(AuditEvent.objects.filter(object_type="core.dictitem").values_list("action", flat=True))
    assert actions.count("dictionary.item_create") == 2 and "dictionary.item_update" in actions


def test_the_page_adds_and_edits_items_and_others_only_read(client, staff, industry):
    client.force_login(staff)
    url = reverse("core:dictionaries")
    page = client.get(url, {"type": "industry"}).content.decode()
    assert "制造业" in page and "新增字典项" in page
    response = client.post(
        f"{url}?type=industry", {"new-code": "Z9", "new-name": "数字创意产业", "new-is_active": "on"}
    )
    assert response.status_code == 302
    item = DictItem.objects.get(dict_type=industry, code="Z9")
    refused = client.post(f"{url}?type=industry", {"new-code": "Z9", "new-name": "重复"}).content.decode()
    assert "已有代码「Z9」" in refused
    edit = reverse("core:dictionary_item_edit", args=[item.pk])
    assert client.post(edit, {"name": "数字创意", "sort": 50}).status_code == 302  # not is_active: retired
    item.refresh_from_db()
    assert (item.name, item.sort, item.is_active, item.code) == ("数字创意", 50, False, "Z9")

    zhangdian = UserFactory(role="staff", region=Region.objects.get(code="370303"))
    client.force_login(zhangdian)
    page = client.get(url, {"type": "industry"}).content.decode()
    assert "数字创意" in page and "新增字典项" not in page
    assert client.post(url, {"new-code": "Q1", "new-name": "x"}).status_code == 403
    assert client.get(edit).status_code == 403


def test_dictionary_import_adds_changes_and_retires_items_then_a_firm_file_goes_through(staff, industry):
    spec = imports.get("dictionaries")
    data = book(
        ("字典", "代码", "名称", "上级代码", "排序", "启用"),
        [
            ("industry", "Z9", "新兴服务业", None, 90, "是"),
            ("国民经济行业门类", "Z91", "数字服务", "Z9", None, None),
            ("industry", "A", None, None, None, "否"),
        ],
    )
    checked = imports.preview(spec, data, staff)
    assert not checked.errors, checked.errors
    assert [d.outcome for d in checked.diffs] == ["new", "new", "changed"]
    imports.commit(spec, data, actor=staff)
    z91 = DictItem.objects.get(dict_type=industry, code="Z91")
    assert z91.parent.code == "Z9" and z91.name == "数字服务"
    a = DictItem.objects.get(dict_type=industry, code="A")
    assert a.name == "农、林、牧、渔业" and not a.is_active  # a blank name keeps the stored one
    assert [d.outcome for d in imports.preview(spec, data, staff).diffs] == ["unchanged"] * 3

    bad = imports.preview(
        spec, book(("字典", "代码", "名称"), [("无此字典", "X", "x"), ("industry", "NEW", None)]), staff
    )
    messages = [e.message for e in bad.errors]
    assert any("未找到字典「无此字典」" in m for m in messages) and any(
        "新增字典项须填写名称" in m for m in messages
    )
    zhangdian = UserFactory(role="staff", region=Region.objects.get(code="370303"))
    assert not spec.may_import(zhangdian)


def test_the_import_template_offers_a_new_active_item_and_not_a_retired_one(staff, industry):
    services.dict_item_save(actor=staff, dict_type=industry, code="Z9", name="新兴服务业")
    services.dict_item_save(
        actor=staff, dict_type=industry, code="A", name="农、林、牧、渔业", is_active=False,
        item=DictItem.objects.get(dict_type=industry, code="A"),
    )  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(imports.template_workbook(imports.get("organisations"))))
    values = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "新兴服务业" in values and "农、林、牧、渔业" not in values

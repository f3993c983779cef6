"""Issue 21 item 5 (part): the firm template lists each dictionary's active items as an xlsx drop-down, and a
value that is not in the dictionary is that row's error naming the dictionary — the other rows are previewed."""

import io

import openpyxl

from kechuang.core import imports
from kechuang.core.models import DictItem, DictType, Region
from kechuang.core.tests.factories import OrganisationFactory
from kechuang.core.tests.test_imports import code


def test_the_template_lists_dictionary_items_and_an_unknown_item_is_a_row_error(staff):
    kind = DictType.objects.get_or_create(code="key_industry", defaults={"name": "重点产业"})[0]
    DictItem.objects.create(dict_type=kind, code="xcl", name="新材料测试", sort=1)
    DictItem.objects.create(dict_type=kind, code="old", name="已停用产业", sort=2, is_active=False)
    spec = imports.get("enterprises")
    book = openpyxl.load_workbook(io.BytesIO(imports.template_workbook(spec)))
    sheet, options = book["数据"], book["选项"]
    headers = [c.value for c in sheet[1]]
    col = headers.index("重点产业") + 1
    letter = openpyxl.utils.get_column_letter(col)
    listed = [options.cell(r, col).value for r in range(1, options.max_row + 1) if options.cell(r, col).value]
    assert "新材料测试" in listed and "已停用产业" not in listed
    assert any(
        f"${letter}$1" in v.formula1 and f"{letter}2" in str(v.sqref)
        for v in sheet.data_validations.dataValidation
    )

    firm = OrganisationFactory(region=Region.objects.get(code="370306001"))
    rows = openpyxl.Workbook()
    rows.active.append(["企业名称", "统一社会信用代码", "重点产业"])
    rows.active.append([firm.name, firm.credit_code, "新材料测试"])
    rows.active.append([firm.name + "二", code(777), "不存在的产业"])
    buf = io.BytesIO()
    rows.save(buf)
    checked = imports.preview(spec, buf.getvalue(), staff)
    assert [(e.row_number, e.message) for e in checked.errors] == [
        (3, "重点产业“不存在的产业”不在字典中（可在“数据字典”页添加）。")
    ]
    assert [r.number for r in checked.ok_rows] == [2] and checked.diffs[0].outcome == "changed"

"""Every registered importer runs a number of queries per file that does not grow with its rows (issue 26
item 5): the same file shape at 10 and at 50 rows, new records and then changed ones, preview and commit.
A new importer must add its sample rows here (`SAMPLES`), or the registry test fails."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.core import imports
from kechuang.core.models import Organisation, Region
from kechuang.core.tests.factories import OrganisationFactory, _credit_code
from kechuang.core.tests.test_dictionaries import book

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 50


def _firms(start, n):
    """n firms of the staff member's district with known credit codes (start … start + n - 1)."""
    codes = [_credit_code(start + i) for i in range(n)]
    found = {o.credit_code: o for o in Organisation.objects.filter(credit_code__in=codes)}
    return [found.get(c) or OrganisationFactory(credit_code=c, name=f"样本{c}有限公司") for c in codes]


def statistics(start, n, value):
    firms = _firms(start, n)
    return book(
        ["统一社会信用代码", "统计期", "数据状态", "R&D经费内部支出"],
        [[f.credit_code, "2020", "快报", value] for f in firms],
    )


def enterprises(start, n, value):
    head = ["企业名称", "统一社会信用代码", "所在镇街", "行业", "规模以上", "职工总数"]
    rows = [
        [f"导入{start + i}有限公司", _credit_code(start + i), "王村镇", "C", "是", value] for i in range(n)
    ]
    return book(head, rows)


def qualifications(start, n, value):
    firms = _firms(start, n)
    head = ["统一社会信用代码", "资质类型", "发证日期", "撤销日期", "撤销原因"]
    revoked = ["2020-09-01", "录入错误"] if value > 1 else [None, None]
    return book(head, [[f.credit_code, "科技型中小企业", "2020-05-01", *revoked] for f in firms])


def organisations(start, n, value):
    rows = [[f"单位{start + i}", _credit_code(start + i), "王村镇", str(value)] for i in range(n)]
    return book(["单位名称", "统一社会信用代码", "所在镇街", "联系电话"], rows)


def _base(start):
    """A first year for keys made of years: the small and the large file must not share records."""
    return 2000 if start < 200000 else 2010


def region_facts(start, n, value):
    return book(
        ["区划", "统计期", "数据状态", "地区生产总值"],
        [["370306", f"{_base(start) + i // 12}-{i % 12 + 1:02d}", "快报", value] for i in range(n)],
    )


def targets(start, n, value):
    return book(
        ["区划", "年度", "指标", "目标值"],
        [["370306", _base(start) + i, "rd_intensity", value] for i in range(n)],
    )


def dictionaries(start, n, value):
    return book(
        ["字典", "代码", "名称"], [["industry", f"T{start + i}", f"项{start + i}-{value}"] for i in range(n)]
    )


def programmes_experts(start, n, value):
    head = ["姓名", "手机", "类别", "职称"]
    return book(
        head, [[f"专家{start + i}", f"139{start + i:08d}", "技术专家", f"职称{value}"] for i in range(n)]
    )


def score_firm_years(start, n, value):
    firms = _firms(start, n)
    return book(["统一社会信用代码", "年度", "发明专利申请量"], [[f.credit_code, 2020, value] for f in firms])


def official_scores(start, n, value):
    firms = _firms(start, n)
    head = ["统一社会信用代码", "年度", "积分", "来源"]
    return book(head, [[f.credit_code, 2020, Decimal(value), "省科技厅"] for f in firms])


SAMPLES = {
    f.__name__: f
    for f in (
        statistics, enterprises, qualifications, organisations, region_facts, targets, dictionaries,
        programmes_experts, score_firm_years, official_scores,
    )
}  # fmt: skip


def test_every_registered_importer_has_a_sample():
    assert sorted(s.name for s in imports.specs()) == sorted(SAMPLES)


def _counted(fn, *args, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        out = fn(*args, **kwargs)
    return len(ctx.captured_queries), out


# Importers still writing a row at a time (none since the dictionary and expert imports were batched): strict,
# so fixing one fails the test until it is removed from here.
ROW_AT_A_TIME: set[str] = set()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="writes a row at a time"))
        if n in ROW_AT_A_TIME
        else n
        for n in sorted(SAMPLES)
    ],
)
def test_queries_per_file_do_not_grow_with_its_rows(name):
    from kechuang.core.tests.factories import UserFactory

    staff = UserFactory(staff=True, region=Region.objects.get(code="370306"))
    spec, sample = imports.get(name), SAMPLES[name]
    counts = {}
    for n, start in ((SMALL, 100000), (LARGE, 200000)):
        first = sample(start, n, 1)
        queries, checked = _counted(imports.preview, spec, first, staff)
        assert not checked.errors, checked.errors[:3]
        assert [d.outcome for d in checked.diffs] == ["new"] * n
        counts[n, "preview"] = queries
        counts[n, "new"], result = _counted(imports.commit, spec, first, actor=staff, checked=checked)
        assert result.created == n
        again = sample(start, n, 2)
        counts[n, "changed"], result = _counted(imports.commit, spec, again, actor=staff)
        assert result.updated == n, result
    for step in ("preview", "new", "changed"):
        assert counts[LARGE, step] <= counts[SMALL, step], (step, counts)

"""Two imports of the insights module. The firms' yearly score figures import (issue 29): what the innovation score needs and no other module holds
(invention and PCT applications, registered technology-contract turnover, postgraduates, net profit, equity
financing), e.g. from the tax, IP or technology-market registers a district receives once a year.

One row = one firm (by credit code) × year. Each row goes through `services.firm_year_set`: a changed figure
adds a version counting from the row's 报送日期 (default the day of the import), so scores as of earlier dates
keep the earlier figures; a blank cell keeps the stored value, `清空` clears it (the score then shows 缺数据).
Only firms of the importer's region are accepted. A whole import can be undone from the import history (ADR
0024): each firm-year gets back its version before the import (voided when the import created it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from kechuang.core.imports import (
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    RowError,
    lookups,
    register,
)
from kechuang.core.models import Organisation
from kechuang.insights import permissions, services
from kechuang.insights.models import FirmYearFact, OfficialScore
from kechuang.statistics.region_imports import version_diff

COLUMNS = (
    ImportColumn("credit_code", "统一社会信用代码", aliases=("信用代码",), kind="credit_code", required=True),
    ImportColumn("year", "年度", kind="int", required=True),
    ImportColumn("invention_applications", "发明专利申请量", aliases=("发明专利申请",), kind="int", help="件"),
    ImportColumn("pct_applications", "PCT专利申请量", aliases=("PCT申请量", "PCT"), kind="int", help="件"),
    ImportColumn("tech_contract_turnover", "技术合同成交额", aliases=("技术合同登记额",), kind="money", unit="万元", places=2, help="登记的技术合同成交额"),
    ImportColumn("postgrad_staff", "研究生以上学历人员", aliases=("研究生人数",), kind="int", help="人"),
    ImportColumn("net_profit", "净利润", kind="money", unit="万元", places=2, help="亏损填负数"),
    ImportColumn("equity_financing", "股权融资额", aliases=("股权融资",), kind="money", unit="万元", places=2),
    ImportColumn("reported_on", "报送日期", kind="date", clearable=False, help="留空：导入当日"),
)  # fmt: skip
FIGURES = FirmYearFact.FIGURES


@dataclass
class Prepared:
    firms: dict[str, Organisation] = field(default_factory=dict)  # credit code → firm
    stored: dict[tuple, FirmYearFact] = field(default_factory=dict)  # (firm, year) → live record


def prepare(rows: list[dict]) -> Prepared:
    prepared = Prepared()
    for chunk in lookups.chunks(d["credit_code"] for d in rows if d.get("credit_code")):
        for org in Organisation.objects.filter(
            lookups.among("credit_code", chunk), kind=Organisation.Kind.ENTERPRISE
        ).select_related("region"):
            prepared.firms[org.credit_code] = org
    ids = [o.pk for o in prepared.firms.values()]
    for chunk in lookups.chunks(ids):
        for row in FirmYearFact.current.filter(lookups.among("organisation_id", chunk)):
            prepared.stored[(row.organisation_id, row.year)] = row
    return prepared


def validate_row(data: dict, context: Prepared) -> dict:
    firm = context.firms.get(data["credit_code"])
    if firm is None:
        raise ValidationError({"credit_code": "单位库中没有该信用代码的企业，请先登记企业。"})
    data["organisation"] = firm
    if not 2000 <= data["year"] <= 2100:
        raise ValidationError({"year": "年度应在 2000—2100 之间。"})
    for key in ("invention_applications", "pct_applications", "postgrad_staff"):
        if data.get(key) is not None and data[key] < 0:
            raise ValidationError({key: "不能为负数。"})
    for key in ("tech_contract_turnover", "equity_financing"):
        if data.get(key) is not None and data[key] < 0:
            raise ValidationError({key: "金额不能为负数。"})
    return data


def _given(data: dict) -> dict:
    return {k: data[k] for k in FIGURES if k in data}


def _diff(data: dict, stored: FirmYearFact | None) -> Diff:
    since = f"{stored.reported_on:%Y-%m-%d}起计入" if stored else ""
    return version_diff(_given(data), stored, what="该企业该年度数据", since=since)


def compare(rows, context: Prepared) -> list[Diff]:
    return [_diff(r.data, context.stored.get((r.data["organisation"].pk, r.data["year"]))) for r in rows]


def commit(rows, *, actor, job=None, context: Prepared) -> ImportResult:
    """Each row through `services.firm_year_set`; the whole file is refused when a firm is not the importer's."""
    errors = [
        RowError(r.number, "统一社会信用代码", r.data["credit_code"], "不是您所在地区的企业。")
        for r in rows
        if not permissions.firm_years.may_report_for(actor, r.data["organisation"])
    ]
    if errors:
        raise ImportRejected(errors)
    stored = {
        (f.organisation_id, f.year): f
        for f in FirmYearFact.current.select_for_update().filter(
            organisation_id__in={r.data["organisation"].pk for r in rows},
            year__in={r.data["year"] for r in rows},
        )
    }
    result, written, befores = ImportResult(), [], []
    for row in rows:
        data = row.data
        before = stored.get((data["organisation"].pk, data["year"]))
        if _diff(data, before).outcome == "unchanged":
            result.unchanged += 1
            continue
        written.append(
            {"organisation": data["organisation"], "year": data["year"], "values": _given(data),
             "reported_on": data.get("reported_on")}
        )  # fmt: skip
        befores.append(before and before.version)
    records = result.call(
        services.firm_years_set, actor=actor, source=FirmYearFact.Source.IMPORT, items=written
    )
    result.wrote(befores, records, versioned=True)
    return result


SPEC = register(
    ImportSpec(
        name="score_firm_years",
        title="创新积分补充数据",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        prepare=prepare,
        compare=compare,
        key=("credit_code", "year"),
        # undo of a whole import (ADR 0024): each firm-year back to its version before, or voided when the
        # import created it; refused when a later report or import changed the figures since
        undo_policy=permissions.firm_years,
        undo_action="change",
        undo_compare=(*FIGURES, "organisation_id", "year"),
        description="企业创新积分所需、其他模块不采集的年度数据：发明专利与PCT申请量、技术合同成交额、研究生以上学历人员、"
        "净利润、股权融资额；修改为新版本。",
        notes=(
            "一行一家企业一个年度；留空的单元格保留已有数值，填“清空”清除（积分中该项显示“缺数据”）。",
            "金额单位为万元；净利润亏损填负数。同一企业、年度再次导入新增一个版本，自报送日期起计入。",
        ),
    )
)


# Official scores published by a province or the Torch Centre, to compare with this platform's (score page).
OFFICIAL_COLUMNS = (
    ImportColumn("credit_code", "统一社会信用代码", aliases=("信用代码",), kind="credit_code", required=True),
    ImportColumn("year", "年度", aliases=("积分年度",), kind="int", required=True),
    ImportColumn("score", "积分", aliases=("创新积分", "官方积分"), kind="decimal", required=True, clearable=False),
    ImportColumn("source", "来源", aliases=("发布单位",), required=True, max_length=120, clearable=False, help="如：山东省科技厅2023年企业创新积分"),
)  # fmt: skip


@dataclass
class OfficialPrepared:
    firms: dict[str, Organisation] = field(default_factory=dict)
    stored: dict[tuple, OfficialScore] = field(default_factory=dict)  # (firm, year, source) → row


def official_prepare(rows: list[dict]) -> OfficialPrepared:
    firms = prepare(rows).firms
    stored = {}
    for chunk in lookups.chunks([o.pk for o in firms.values()]):
        for row in OfficialScore.objects.filter(lookups.among("organisation_id", chunk)):
            stored[(row.organisation_id, row.year, row.source)] = row
    return OfficialPrepared(firms, stored)


def official_validate_row(data: dict, context: OfficialPrepared) -> dict:
    firm = context.firms.get(data["credit_code"])
    if firm is None:
        raise ValidationError({"credit_code": "单位库中没有该信用代码的企业。"})
    data["organisation"], data["source"] = firm, str(data["source"]).strip()
    if not 2000 <= data["year"] <= 2100:
        raise ValidationError({"year": "年度应在 2000—2100 之间。"})
    if not 0 <= data["score"] < 100000:
        raise ValidationError({"score": "积分应为 0 到 99999.99 之间的数。"})
    data["score"] = data["score"].quantize(Decimal("0.01"))
    return data


def _official_diff(data: dict, stored: OfficialScore | None) -> Diff:
    if stored is None:
        return Diff("new", {"score": (None, data["score"])})
    if stored.score == data["score"]:
        return Diff("unchanged")
    return Diff("changed", {"score": (stored.score, data["score"])})


def _official_key(data: dict) -> tuple:
    return (data["organisation"].pk, data["year"], data["source"])


def official_compare(rows, context: OfficialPrepared) -> list[Diff]:
    return [_official_diff(r.data, context.stored.get(_official_key(r.data))) for r in rows]


def official_commit(rows, *, actor, job=None, context: OfficialPrepared) -> ImportResult:
    """The new and changed rows through `services.official_scores_set` at once; a firm outside the importer's
    region refuses the file."""
    found = OfficialScore.objects.select_for_update().filter(
        organisation_id__in={r.data["organisation"].pk for r in rows}, year__in={r.data["year"] for r in rows}
    )
    stored = {(s.organisation_id, s.year, s.source): s for s in found}
    result, written, befores = ImportResult(), [], []
    for row in rows:
        data = row.data
        before = stored.get(_official_key(data))
        if _official_diff(data, before).outcome == "unchanged":
            result.unchanged += 1
            continue
        written.append({k: data[k] for k in ("organisation", "year", "source", "score")})
        befores.append(before and before.pk)
    records = result.call(services.official_scores_set, actor=actor, items=written)
    result.wrote(befores, [r for r, _ in records])
    return result


OFFICIAL_SPEC = register(
    ImportSpec(
        name="official_scores",
        title="官方创新积分",
        columns=OFFICIAL_COLUMNS,
        commit=official_commit,
        validate_row=official_validate_row,
        prepare=official_prepare,
        compare=official_compare,
        key=("credit_code", "year", "source"),
        may_import=lambda user: permissions.regions.may(user, "import"),
        description="省科技厅或火炬中心公布的企业创新积分，导入后在“创新积分”页与本平台计算值对照（差值列）。",
        notes=("同一企业、年度、来源再次导入时更新积分；不同来源分别保存。只能导入本地区企业。",),
    )
)

"""The statistics import: staff load a whole district's periodic facts from one spreadsheet.

One row = one firm × one period (年度 "2020", 季度 "2020Q3" or 月份 "2020-10"). Re-importing the same
firm and period updates that row (audited, compare-and-set on its version), so nothing is duplicated.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kechuang.core import audit, dates
from kechuang.core import rules as core_rules
from kechuang.core.imports import (
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    Row,
    RowError,
    register,
)
from kechuang.core.indicators import Period
from kechuang.core.models import Organisation, Region
from kechuang.core.services import StaleObject
from kechuang.statistics import rules, services
from kechuang.statistics.models import EnterpriseFact, FactSource, FactStatus


def _money(key: str, label: str, *aliases: str) -> ImportColumn:
    return ImportColumn(key, label, aliases=aliases, kind="money", unit="万元")


COLUMNS = (
    ImportColumn(
        "credit_code",
        "统一社会信用代码",
        aliases=("信用代码", "社会信用代码"),
        required=True,
        kind="credit_code",
    ),
    ImportColumn("name", "企业名称", aliases=("单位名称", "企业"), help="仅供核对，以信用代码为准"),
    ImportColumn(
        "period",
        "统计期",
        aliases=("报告期", "期别"),
        required=True,
        help="年度 2020、季度 2020Q3 或月份 2020-10",
    ),
    ImportColumn(
        "town",
        "所在镇街",
        aliases=("镇街", "乡镇街道"),
        help="该期所在镇街名称或代码；空则取企业当前所在镇街",
    ),
    ImportColumn("status", "数据状态", choices=FactStatus.choices, kind="choice", required=True),
    _money("rd_internal", "R&D经费内部支出", "研发经费内部支出", "R&D经费"),
    _money("rd_hnte", "研发费用（高企口径）", "高企研发费用"),
    _money("rd_super_deduction", "研发费用加计扣除额", "加计扣除额"),
    ImportColumn("has_rd_projects", "有无研发项目", aliases=("有研发项目",), kind="bool"),
    ImportColumn("rd_project_count", "研发项目数", aliases=("研发项目数量",), kind="int"),
    _money("operating_revenue", "营业收入", "营业收入合计"),
    _money("sales_revenue", "销售收入", "主营业务收入"),
    _money("hightech_income", "高新技术产品收入", "高新技术产品（服务）收入"),
    _money("industrial_output", "工业总产值", "工业总产值（当期）"),
    _money("hightech_output", "高新技术产业产值", "高新产值"),
    ImportColumn("above_size", "是否规上", aliases=("规模以上", "规上企业"), kind="bool"),
    ImportColumn("staff", "从业人员", aliases=("从业人员数", "职工人数"), kind="int"),
    ImportColumn("st_staff", "科技人员", aliases=("科技人员数", "研发人员"), kind="int"),
    _money("net_assets", "净资产"),
    _money("total_assets", "资产总额", "总资产"),
    _money("total_costs", "成本费用总额", "成本费用"),
)

CENT = Decimal("0.01")
CONCURRENT_CREATE = "导入期间有人录入了同一企业同一统计期的数据，本次导入未保存任何数据，请重新导入。"
VALUE_KEYS = tuple(k for k in services.VALUE_FIELDS)


def _parse_period(text) -> Period:
    try:
        period = Period.parse(str(text))
    except (ValueError, TypeError):
        raise ValidationError({"period": "统计期格式应为 2020、2020Q3 或 2020-10。"}) from None
    if (
        not 2000 <= period.year <= 2100
        or (period.month and not 1 <= period.month <= 12)
        or (period.quarter and not 1 <= period.quarter <= 4)
    ):
        raise ValidationError({"period": "统计期超出范围（年份 2000—2100，季度 1—4，月份 1—12）。"})
    return period


def _town(text) -> Region | None:
    if not text:
        return None
    text = str(text).strip()
    town = Region.objects.filter(level=Region.Level.TOWN).filter(code=text).first()
    town = town or Region.objects.filter(level=Region.Level.TOWN, name=text).first()
    if town is None:
        raise ValidationError({"town": f"未找到镇街「{text}」（请填写镇街名称或统计代码）。"})
    return town


def validate_row(data: dict) -> dict:
    data["period_obj"] = _parse_period(data["period"])
    data["period"] = str(data["period_obj"])
    code = core_rules.normalise(data["credit_code"])
    org = Organisation.objects.filter(credit_code=code).select_related("region").first()
    if org is None:
        raise ValidationError({"credit_code": "单位库中没有该信用代码的企业，请先登记企业。"})
    data["organisation"] = org
    data["town_obj"] = _town(data.get("town"))
    if data.get("has_rd_projects") is None:
        data["has_rd_projects"] = bool(data.get("rd_project_count"))
    data["above_size"] = bool(data.get("above_size"))
    for column in COLUMNS:
        if column.kind == "money" and data.get(column.key) is not None:
            # 元 → 万元 gives up to four decimals; the statistics forms keep 万元 to two (100元).
            data[column.key] = Decimal(data[column.key]).quantize(CENT, rounding=ROUND_HALF_UP)
    errors = rules.check_fact({k: data.get(k) for k in VALUE_KEYS})
    if errors:
        raise ValidationError(errors)
    return data


def _unchanged(fact: EnterpriseFact, values: dict, status: str, town) -> bool:
    same_values = all(getattr(fact, k) == v for k, v in values.items())
    return same_values and fact.status == status and (town is None or fact.town_id == town.pk)


def _existing_facts(rows: list[Row]) -> dict[tuple, EnterpriseFact]:
    """The stored facts for the rows' (firm, period) pairs, in a few queries instead of one per row."""
    found: dict[tuple, EnterpriseFact] = {}
    org_ids = sorted({row.data["organisation"].pk for row in rows})
    periods = Q()
    for period in {row.data["period_obj"] for row in rows}:
        periods |= Q(year=period.year, quarter=period.quarter, month=period.month)
    for start in range(0, len(org_ids), 500):
        for fact in EnterpriseFact.objects.filter(periods, organisation_id__in=org_ids[start : start + 500]):
            found[(fact.organisation_id, fact.year, fact.quarter, fact.month)] = fact
    return found


def _new_fact(data: dict, town, actor, now, today) -> EnterpriseFact:
    """What `services.fact_submit` creates for a firm and period that have no row yet (the same fields and checks;
    the foreign keys are the objects validation already loaded, so they are not looked up again)."""
    period = data["period_obj"]
    fact = EnterpriseFact(
        organisation=data["organisation"],
        town=town,
        year=period.year,
        quarter=period.quarter,
        month=period.month,
        status=data["status"],
        source=FactSource.STAFF_IMPORT,
        reported_on=today,
        submitted_by=actor if getattr(actor, "pk", None) else None,
        submitted_at=now,
        **{k: data.get(k) for k in VALUE_KEYS},
    )
    fact.clean_fields(exclude=["organisation", "town", "submitted_by"])
    fact.clean()
    return fact


def commit(rows: list[Row], *, actor, job=None) -> ImportResult:
    """New (firm, period) rows are created in bulk with one audit event each (`audit.record_many`); rows that
    change an existing fact go through `services.fact_submit` (compare-and-set on its version, audited)."""
    result = ImportResult()
    region = getattr(actor, "region", None)
    existing_facts = _existing_facts(rows)
    now, today = timezone.now(), dates.today()
    created: list[EnterpriseFact] = []
    for row in rows:
        data = row.data
        org: Organisation = data["organisation"]
        town = data["town_obj"] or org.region
        if region is None or town is None or not town.path.startswith(region.path):
            raise ImportRejected(
                [
                    RowError(
                        row.number,
                        "统一社会信用代码",
                        data["credit_code"],
                        "该企业（该期所在镇街）不在您的管辖区域内。",
                    )
                ]
            )
        values = {k: data.get(k) for k in VALUE_KEYS}
        period = data["period_obj"]
        existing = existing_facts.get((org.pk, period.year, period.quarter, period.month))
        try:
            if existing is None:
                created.append(_new_fact(data, town, actor, now, today))
                continue
            if _unchanged(existing, values, data["status"], data["town_obj"]):
                result.unchanged += 1
                continue
            services.fact_submit(
                actor=actor,
                organisation=org,
                period=period,
                values=values,
                status=data["status"],
                source=FactSource.STAFF_IMPORT,
                town=town,
                expected_version=existing.version,
            )
        except StaleObject as exc:
            raise ImportRejected([RowError(row.number, "", "", exc.messages[0])]) from None
        except ValidationError as exc:
            raise ImportRejected([RowError(row.number, "", "", m) for m in exc.messages]) from None
        result.updated += 1
    try:
        with transaction.atomic():
            EnterpriseFact.objects.bulk_create(created, batch_size=1000)
    except IntegrityError:
        # Someone created one of these periods between validation and now: refuse, overwrite nothing.
        raise ImportRejected([RowError(0, "", "", CONCURRENT_CREATE)]) from None
    audit.record_many(
        actor=actor,
        entries=(
            ("statistics.fact_create", fact, audit.snapshot(fact, services.AUDITED_FIELDS))
            for fact in created
        ),
    )
    result.created += len(created)
    return result


SPEC = register(
    ImportSpec(
        name="statistics",
        title="企业统计数据",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        key=("credit_code", "period"),
        description="按企业、统计期导入研发投入、产值、人员等统计数据；同一企业同一统计期再次导入为更新。",
        notes=(
            "金额单位为万元，保留两位小数（表头或表上方注明“单位：元/亿元”的将自动换算并四舍五入）。",
            "同一企业同一统计期再次导入将更新原数据，并记入审计日志。",
            "“所在镇街”为企业在该统计期所在的镇街，企业迁址后历史期仍填原镇街。",
        ),
    )
)

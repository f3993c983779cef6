"""The statistics import: staff load a whole district's periodic facts from one spreadsheet.

One row = one firm × one period (年度 "2020", 季度 "2020Q3" or 月份 "2020-10"). Re-importing the same
firm and period updates that row (audited, under a row lock), so nothing is duplicated. A row writes only
the cells it fills — a blank cell keeps the stored value, 清空 clears it — and its consistency rules are
checked on the fact as it would leave it. The preview flags a change over a fact another source entered.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kechuang.core import audit, bulk, dates, versions
from kechuang.core.imports import (
    STALE_PREVIEW,
    Diff,
    ImportColumn,
    ImportRejected,
    ImportResult,
    ImportSpec,
    Row,
    RowError,
    lookups,
    register,
)
from kechuang.core.indicators import Period
from kechuang.core.models import Organisation, Region
from kechuang.statistics import permissions, rules, services, totals
from kechuang.statistics.models import EnterpriseFact, FactSource, FactStatus
from kechuang.statistics.periods import canonical, parse_period


def _money(key: str, label: str, *aliases: str) -> ImportColumn:
    # 元 → 万元 gives up to four decimals; the statistics forms keep 万元 to two (100元).
    return ImportColumn(key, label, aliases=aliases, kind="money", unit="万元", places=2)


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
        aliases=("镇街", "乡镇街道", "所在镇街（该期）"),
        help="该期所在镇街名称或代码；新数据空则取企业当前所在镇街，已有数据空则不变",
        clearable=False,
    ),
    ImportColumn(
        "status", "数据状态", aliases=("状态",), choices=FactStatus.choices, kind="choice", required=True
    ),
    _money("rd_internal", "R&D经费内部支出", "研发经费内部支出", "R&D经费"),
    _money("rd_hnte", "研发费用（高企口径）", "高企研发费用", "研发费用高企口径"),
    _money("rd_super_deduction", "研发费用加计扣除额", "加计扣除额"),
    ImportColumn(
        "has_rd_projects", "有无研发项目", aliases=("有研发项目",), kind="bool", help="空则按研发项目数判断"
    ),
    ImportColumn("rd_project_count", "研发项目数", aliases=("研发项目数量",), kind="int"),
    _money("operating_revenue", "营业收入", "营业收入合计"),
    _money("sales_revenue", "销售收入", "主营业务收入"),
    _money("hightech_income", "高新技术产品收入", "高新技术产品（服务）收入"),
    _money("industrial_output", "工业总产值", "工业总产值（当期）"),
    _money("hightech_output", "高新技术产业产值", "高新产值"),
    ImportColumn("above_size", "是否规上", aliases=("规模以上", "规上企业", "规上"), kind="bool"),
    ImportColumn("staff", "从业人员", aliases=("从业人员数", "职工人数"), kind="int"),
    ImportColumn("st_staff", "科技人员", aliases=("科技人员数", "研发人员"), kind="int"),
    _money("net_assets", "净资产"),
    _money("total_assets", "资产总额", "总资产"),
    _money("total_costs", "成本费用总额", "成本费用"),
)

CONCURRENT_CREATE = "导入期间有人录入了同一企业同一统计期的数据，本次导入未保存任何数据，请重新导入。"
VALUE_KEYS = tuple(k for k in services.VALUE_FIELDS)
UPDATED_FIELDS = (*VALUE_KEYS, "town", "status", "source", "reported_on", "submitted_by", "submitted_at")
BATCH = 5000


@dataclass(frozen=True, slots=True)
class Firm:
    """What the import needs of a firm on file (not a model instance per row)."""

    pk: int
    name: str
    region: Region | None

    def as_organisation(self) -> Organisation:
        """A bare instance for foreign keys and audit labels (`str(fact)` shows the firm's name)."""
        return Organisation(pk=self.pk, name=self.name, region=self.region)


@dataclass
class Prepared:
    """Everything the rows of one file refer to, read in a few queries (`prepare`)."""

    firms: dict[str, Firm] = field(default_factory=dict)  # credit code → firm
    towns: dict[str, Region] = field(default_factory=dict)  # text written in 所在镇街 → town
    periods: dict[str, tuple[Period, str]] = field(default_factory=dict)  # text → (period, canonical text)
    facts: dict[tuple, EnterpriseFact] = field(default_factory=dict)  # (firm, year, quarter, month) → stored
    # The commit job of a stamped preview: the preview's stamps, compared in `commit` with the facts it locks
    # (the facts are then not read here: one read per commit, not two).
    expected: list | None = None

    def period(self, text) -> tuple[Period, str]:
        key = str(text)
        if key not in self.periods:
            period = parse_period(key)
            self.periods[key] = (period, str(period))
        return self.periods[key]

    def town(self, text) -> Region | None:
        if not text:
            return None
        text = str(text).strip()
        town = self.towns.get(text)
        if town is None:
            raise ValidationError({"town": f"未找到镇街「{text}」（请填写镇街名称或统计代码）。"})
        return town


def prepare(rows: list[dict], *, stamps: list | None = None) -> Prepared:
    """Resolve every credit code, town and stored fact of the file at once (a query per `lookups.chunks`
    batch of firms and of facts, one for towns). The credit codes are already clean (the column's kind).
    With the preview's `stamps` (the commit job) the facts are left to `commit`, which locks them."""
    prepared = Prepared(expected=stamps)
    found: list[tuple] = []
    for chunk in lookups.chunks(d["credit_code"] for d in rows):
        found += Organisation.objects.filter(lookups.among("credit_code", chunk)).values_list(
            "pk", "credit_code", "name", "region_id"
        )
    texts = sorted({str(d["town"]).strip() for d in rows if d.get("town")})
    towns = list(
        Region.objects.filter(level=Region.Level.TOWN).filter(Q(code__in=texts) | Q(name__in=texts))
        if texts
        else ()
    )
    regions = {town.pk: town for town in towns}
    wanted = {region_id for *_, region_id in found if region_id and region_id not in regions}
    for chunk in lookups.chunks(wanted):
        regions.update((r.pk, r) for r in Region.objects.filter(lookups.among("pk", chunk)))
    for pk, code, name, region_id in found:
        prepared.firms[code] = Firm(pk, name, regions.get(region_id))
    # A code beats a name; among towns of the same name the first in region order wins (as `.first()` did).
    for town in towns:
        prepared.towns.setdefault(town.name, town)
    for town in towns:
        prepared.towns[town.code] = town
    periods = set()
    for d in rows:
        try:
            periods.add(prepared.period(d["period"])[0])
        except ValidationError:
            continue  # the row's own error, from `validate_row`
    if stamps is None:
        prepared.facts = _existing_facts([f.pk for f in prepared.firms.values()], periods)
    return prepared


def validate_row(data: dict, context: Prepared) -> dict:
    """The row's references resolved, and its values checked together with the stored ones it keeps (a row
    giving only some columns is checked as the fact it would leave)."""
    data["period_obj"], data["period"] = context.period(data["period"])
    firm = context.firms.get(data["credit_code"])
    if firm is None:
        raise ValidationError({"credit_code": "单位库中没有该信用代码的企业，请先登记企业。"})
    data["organisation"] = firm
    if "town" in data:
        data["town_obj"] = context.town(data["town"])
    if "has_rd_projects" not in data and "rd_project_count" in data:
        data["has_rd_projects"] = bool(data["rd_project_count"])
    if context.expected is not None:
        # The commit job of a stamped preview: this row passed these rules against the facts the stamps name;
        # `commit` proves them unchanged (and checks a changed fact's rules again as it writes it).
        return data
    errors = rules.check_fact(_after(data, context.facts.get(_fact_key(data))))
    if errors:
        raise ValidationError(errors)
    return data


def check_values(data: dict) -> None:
    """The model's own validators (digits, integer range) on the row's values, so the preview shows what the
    write would refuse; they depend on the values alone, so they run once, in the preview (ADR 0034). Each
    field's validators are called as they are; a value one refuses goes through `Field.run_validators`, whose
    messages the row shows."""
    errors: dict[str, list[str]] = {}
    for name, field_, validators in _value_validators():
        value = data.get(name)
        if value is None:
            continue
        try:
            for validator in validators:
                validator(value)
        except ValidationError:
            try:
                field_.run_validators(value)
            except ValidationError as exc:
                errors.setdefault(name, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@functools.cache
def _value_validators() -> tuple:
    fields = [EnterpriseFact._meta.get_field(name) for name in VALUE_KEYS]
    return tuple((f.name, f, tuple(f.validators)) for f in fields)


NEW_DEFAULTS = {"has_rd_projects": False, "above_size": False}  # what a new fact holds for a column not given


def _fact_key(data: dict) -> tuple:
    period = data["period_obj"]
    return (data["organisation"].pk, period.year, period.quarter, period.month)


def _after(data: dict, fact: EnterpriseFact | None) -> dict:
    """The values the fact holds once the row is written: the stored ones (or a new fact's defaults) with
    the row's given values over them."""
    if fact is None:
        before = dict.fromkeys(VALUE_KEYS) | NEW_DEFAULTS
    else:
        before = {k: getattr(fact, k) for k in VALUE_KEYS}
    return before | {k: data[k] for k in VALUE_KEYS if k in data}


def _diff(data: dict, fact: EnterpriseFact | None) -> Diff:
    """What writing the row does to the stored fact (`fact`, None for a new one)."""
    given = {k: data[k] for k in VALUE_KEYS if k in data}
    if fact is None:
        changes = {k: (None, v) for k, v in given.items()} | {"status": (None, data["status"])}
        if "town_obj" in data:
            changes["town"] = (None, data["town_obj"])
        return Diff("new", changes)
    changes = {k: (getattr(fact, k), v) for k, v in given.items() if getattr(fact, k) != v}
    if fact.status != data["status"]:
        changes["status"] = (fact.get_status_display(), FactStatus(data["status"]).label)
    town = data.get("town_obj")
    if town is not None and fact.town_id != town.pk:
        changes["town"] = (fact.town_id, town)
    if not changes:
        return Diff("unchanged", note=VOIDED_UNCHANGED if fact.voided else "")
    source = "此前导入" if fact.source == FactSource.STAFF_IMPORT else fact.get_source_display()
    when = f"，{timezone.localdate(fact.submitted_at):%Y-%m-%d}" if fact.submitted_at else ""
    note = f"覆盖{source}的数据（第{fact.version}版{when}）" + (VOIDED_CHANGED if fact.voided else "")
    return Diff("changed", changes, note)


VOIDED_UNCHANGED = (
    "该期数据已作废；本行与作废的数据相同，导入后仍为作废（要重新计入请在记录页面处理或填写新值）。"
)
VOIDED_CHANGED = "；该期数据已作废，导入后以新值重新计入"


def compare(rows: list[Row], context: Prepared) -> list[Diff]:
    return [_diff(row.data, context.facts.get(_fact_key(row.data))) for row in rows]


def stamps(rows: list[Row], context: Prepared) -> list:
    """What each row's diff depends on besides the row: the stored fact's id and version (None: none) and the
    town its 所在镇街 resolved to (None: not given). The commit job compares them with the preview's."""
    return [_stamp(row.data, context.facts.get(_fact_key(row.data))) for row in rows]


def _stamp(data: dict, fact: EnterpriseFact | None) -> list:
    town = data.get("town_obj")
    return [fact.pk if fact else None, fact.version if fact else None, town.pk if town is not None else None]


def _existing_facts(org_ids, periods, *, lock: bool = False) -> dict[tuple, EnterpriseFact]:
    """The stored facts of these firms for these periods, in a query per `lookups.chunks` batch of firms;
    with `lock`, locked until the import commits (so its changes cannot overwrite a concurrent edit)."""
    found: dict[tuple, EnterpriseFact] = {}
    if not periods:
        return found
    when = Q()
    for period in periods:
        when |= Q(year=period.year, quarter=period.quarter, month=period.month)
    for chunk in lookups.chunks(org_ids):
        facts = EnterpriseFact.current.filter(
            when, lookups.among("organisation_id", chunk)
        ).order_by()  # a voided period too
        for fact in facts.select_for_update() if lock else facts:
            found[(fact.organisation_id, fact.year, fact.quarter, fact.month)] = fact
    return found


def _checked(row: Row, fact: EnterpriseFact) -> EnterpriseFact:
    """The model's own field and consistency checks, as `services.fact_submit` runs them (the foreign keys are
    the objects validation already resolved, so they are not looked up again; the values went through the
    same field validators in `validate_row`)."""
    try:
        fact.clean_fields(exclude=["organisation", "town", "submitted_by", *VALUE_KEYS])
        fact.clean()
    except ValidationError as exc:
        raise ImportRejected([RowError(row.number, "", "", m) for m in exc.messages]) from None
    return fact


NEW_COLUMNS = (
    "organisation_id", "town_id", "year", "quarter", "month", "status", "source", "reported_on", "submitted_by_id",
    "submitted_at", "version", *VALUE_KEYS,
)  # fmt: skip


def _new_facts(batch: list[tuple[Row, Region]], actor, now, today, touched: list):
    """Create the facts of rows whose firm and period have none yet — the same fields `services.fact_submit`
    writes — as plain rows (`core.bulk`), and yield each one's audit entry, with the snapshot `fact_submit`
    records. The values were checked in `validate_row` (the rules and the model fields' own validators) and
    the period by `parse_period` (the model's ranges); everything else is set here."""
    submitted_by = actor.pk if getattr(actor, "pk", None) else None
    rows, labels = [], {}
    for row, town in batch:
        data, period = row.data, row.data["period_obj"]
        rows.append(
            (
                data["organisation"].pk, town.pk, period.year, period.quarter, period.month, data["status"],
                FactSource.STAFF_IMPORT, today, submitted_by, now, 1, *map(_after(data, None).get, VALUE_KEYS),
            )
        )  # fmt: skip
    try:
        with transaction.atomic():
            ids = bulk.insert_rows(EnterpriseFact, NEW_COLUMNS, rows, returning_ids=True)
    except IntegrityError:
        # Someone created one of these periods between validation and now: refuse, overwrite nothing.
        raise ImportRejected([RowError(0, "", "", CONCURRENT_CREATE)]) from None
    native, first_value = audit.native, len(NEW_COLUMNS) - len(VALUE_KEYS)
    source, reported_on = str(FactSource.STAFF_IMPORT), today.isoformat()
    for pk, (row, town), values_row in zip(ids, batch, rows, strict=True):
        touched.append((pk, None, 1))
        data, period = row.data, row.data["period_obj"]
        if period not in labels:
            labels[period] = EnterpriseFact(
                year=period.year, quarter=period.quarter, month=period.month
            ).period_label
        # The snapshot `fact_submit` records: the values as inserted, then town, status, source, reported_on.
        snapshot = dict(zip(VALUE_KEYS, map(native, values_row[first_value:]), strict=True))
        snapshot["town_id"] = town.pk
        snapshot["status"] = str(data["status"])
        snapshot["source"] = source
        snapshot["reported_on"] = reported_on
        target = audit.Target("kcstats.enterprisefact", pk, f"{data['organisation'].name} · {labels[period]}")
        yield "statistics.fact_create", target, snapshot


def _changed_fact(row: Row, fact: EnterpriseFact, town, actor, now, today) -> tuple[EnterpriseFact, dict]:
    """`fact` with the row's values, as `services.fact_submit` changes an existing period, and the audited diff."""
    data = row.data
    fact.organisation = data["organisation"].as_organisation()  # its name labels the audit event
    before = audit.snapshot(fact, services.AUDITED_FIELDS)
    errors = rules.check_fact(_after(data, fact))  # against the fact as locked now, not as previewed
    if errors:
        raise ImportRejected([RowError(row.number, "", "", m) for ms in errors.values() for m in ms])
    for name in VALUE_KEYS:
        if name in data:  # only the columns the row filled: a blank cell keeps the stored value
            setattr(fact, name, data[name])
    if "town_obj" in data:
        fact.town = town
    fact.status, fact.source, fact.reported_on = data["status"], FactSource.STAFF_IMPORT, today
    fact.submitted_by = actor if getattr(actor, "pk", None) else None
    fact.submitted_at = fact.recorded_at = now
    fact.voided, fact.change_reason = False, ""  # a new version; the earlier one is kept (`_written`)
    _checked(row, fact)
    fact.version += 1
    return fact, audit.diff(before, audit.snapshot(fact, services.AUDITED_FIELDS))


def _written(changed: list, new: list, actor, now, today, touched: list):
    """Write the changed facts, then the new ones, a batch at a time, yielding their audit entries in order."""
    for start in range(0, len(changed), BATCH):
        batch = [
            _changed_fact(row, fact, town, actor, now, today)
            for row, fact, town in changed[start : start + BATCH]
        ]
        versions.archive([fact for fact, _ in batch], today)  # the stored versions, closed as of today
        EnterpriseFact.versions.bulk_update(
            [fact for fact, _ in batch],
            [*UPDATED_FIELDS, "version", "voided", "change_reason", "recorded_at"],
        )
        for fact, changes in batch:
            yield "statistics.fact_update", fact, changes
    for start in range(0, len(new), BATCH):
        yield from _new_facts(new[start : start + BATCH], actor, now, today, touched)


def _period_key(row: Row) -> tuple:
    period = row.data["period_obj"]
    return (period.year, period.quarter, period.month)


def commit(rows: list[Row], *, actor, job=None, context: Prepared) -> ImportResult:
    """Every row is checked against the importer's region first; then the existing facts of the file's firms
    and periods are read (and locked) at once, changed ones are updated and new ones created in batches, and
    each created or changed fact gets its audit event, chained in one `audit.record_many`."""
    result = ImportResult()
    region = getattr(actor, "region", None)
    towns = []
    for row in rows:
        data = row.data
        town = data.get("town_obj") or data["organisation"].region
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
        towns.append(town)
    existing_facts = _existing_facts(
        {row.data["organisation"].pk for row in rows}, {row.data["period_obj"] for row in rows}, lock=True
    )
    if context.expected is not None and context.expected != [
        _stamp(row.data, existing_facts.get(_fact_key(row.data))) for row in rows
    ]:  # a fact compared in the preview was revised, voided or created since: not what the user confirmed
        raise ImportRejected([RowError(0, "", "", STALE_PREVIEW)])
    new, changed = [], []
    for row, town in zip(rows, towns, strict=True):
        existing = existing_facts.get(_fact_key(row.data))
        outcome = _diff(row.data, existing).outcome
        if outcome == "new":
            new.append((row, town))
        elif outcome == "unchanged":
            result.unchanged += 1
        else:
            changed.append((row, existing, town))
    del existing_facts, towns
    # the summary groups the file touches: each new fact's, and each changed fact's before and after (its town)
    keys = {(*_period_key(row), town.pk) for row, town in new}
    keys |= {totals.key_of(fact) for _row, fact, _town in changed}
    keys |= {
        (*_period_key(row), town.pk if "town_obj" in row.data else fact.town_id)
        for row, fact, town in changed
    }
    now, today = dates.now(), dates.today()
    result.touched = [(fact.pk, fact.version, fact.version + 1) for _row, fact, _town in changed]
    audit.record_many(actor=actor, entries=_written(changed, new, actor, now, today, result.touched))
    totals.refresh(keys)
    result.created, result.updated = len(new), len(changed)
    return result


SPEC = register(
    ImportSpec(
        name="statistics",
        title="企业统计数据",
        columns=COLUMNS,
        commit=commit,
        validate_row=validate_row,
        check_values=check_values,
        prepare=prepare,
        compare=compare,
        stamps=stamps,
        key=("credit_code", "period"),
        file_defaults=("period", "status"),
        canonical=canonical,
        undo_policy=permissions.facts,
        undo_compare=(*VALUE_KEYS, "town_id", "status"),
        after_undo=lambda before, after: totals.refresh(
            {*map(totals.key_of, before), *map(totals.key_of, after)}
        ),
        description="按企业、统计期导入研发投入、产值、人员等统计数据；同一企业同一统计期再次导入为更新。",
        notes=(
            "金额单位为万元，保留两位小数（表头或表上方注明“单位：元/亿元”的将自动换算并四舍五入）。",
            "同一企业同一统计期再次导入将更新原数据，并记入审计日志：只改写填了值的列，空白单元格保留原值；"
            "要清除某项已有的值，请在该单元格填写“清空”。",
            "“所在镇街”为企业在该统计期所在的镇街，企业迁址后历史期仍填原镇街。",
        ),
    )
)

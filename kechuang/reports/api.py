"""The dashboard's figures and the work-summary drafts over JSON (issue 26: every app that holds data has an
API). Figures come from the same snapshots as the 领导驾驶舱 (`reports.dashboard.figures`, ADR 0038), for a
region the caller may see, a period and an as-of date, each with its status (数据未齐 …) and the drill-down
link that lists the rows behind it; `current` and `computed_at` say whether data changed since. Drafts are read only: they are written, reviewed and signed on the pages."""

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset
from kechuang.core.indicators import Scope
from kechuang.core.kit import require
from kechuang.reports import dashboard, permissions

router = Router(tags=["reports"])


class FigureFilter(Schema):
    region: str = Field("", max_length=12, description="区划代码（默认本人所在区划）")
    period: str = Field("", max_length=10, description="统计期：2020、2020Q3 或 2020-08（默认今年）")
    as_of: dt.date | None = Field(None, description="截至日期：按该日已知的数据（默认今天）")


class FigureOut(Schema):
    code: str
    name: str
    unit: str
    module: str
    value: str | None = Field(..., description="精确值（十进制字符串）；无数据为 null")
    text: str = Field(..., description="页面上显示的数字与单位")
    status: str
    status_label: str
    note: str
    completion: str = Field(..., description="目标完成情况（有目标时）")
    url: str = Field(..., description="下钻：列出该数字所依据的记录")


class FiguresOut(Schema):
    region_code: str
    region: str
    period: str
    as_of: dt.date
    computed_at: dt.datetime  # when these figures were computed
    current: bool  # false: data changed since, newer figures are being computed (ask again shortly)
    figures: list[FigureOut]


class DraftOut(Schema):
    id: int
    title: str
    region: str
    period: str
    as_of: dt.date
    stage: str
    stage_label: str
    changed_count: int
    created_at: dt.datetime

    @staticmethod
    def resolve_region(obj):
        return obj.region.name

    @staticmethod
    def resolve_stage_label(obj):
        return obj.get_stage_display()


def _scope(user, filters: FigureFilter) -> Scope:
    require(permissions.dashboard, user, "view")
    params = {"period": filters.period, "as_of": filters.as_of.isoformat() if filters.as_of else ""}
    if filters.region:
        region = dashboard.regions_for(user).filter(code=filters.region).first()
        if region is None:
            raise Http404("区划不存在或无权查看。")
        params["region"] = str(region.pk)
    form, scope = dashboard.scope_from(user, params)
    if scope is None:
        raise HttpError(422, "；".join(str(m) for errors in form.errors.values() for m in errors))
    return scope


@router.get("/figures", response=FiguresOut)
def figures(request, filters: Query[FigureFilter]):
    """Every registered figure for a region, period and as-of date (what the dashboard shows)."""
    scope = _scope(request.auth, filters)
    shown = dashboard.figures(scope)
    data = shown.data
    return {
        "computed_at": shown.computed_at,
        "current": shown.fresh,
        "region_code": scope.region.code,
        "region": scope.region.name,
        "period": str(scope.period),
        "as_of": scope.as_of,
        "figures": [card for group in data["groups"] for card in group["cards"]],
    }


@router.get("/drafts", response=list[DraftOut])
@paginate(BoundedLimitOffset)
def draft_list(request):
    require(permissions.drafts, request.auth, "view")
    return (
        permissions.drafts.queryset(request.auth, "view")
        .select_related("region")
        .order_by("-created_at", "-pk")
    )

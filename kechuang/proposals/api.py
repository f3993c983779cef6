"""建议提案 over JSON (issue 26: every app that holds data has an API): the bureau's proposals with their
deadlines, status, co-handling units and history — read only, scoped by the same policy as the pages. Replies
are drafted, signed and sent on the pages (核稿/签发), never through the API."""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kechuang.api.paging import BoundedLimitOffset
from kechuang.core.kit import require
from kechuang.core.permissions import get_object_or_404_for
from kechuang.proposals import selectors
from kechuang.proposals.models import Proposal
from kechuang.proposals.permissions import proposals

router = Router(tags=["proposals"])


class Filter(Schema):
    q: str = Field("", max_length=100, description="案由、提案号或提案人")
    status: Proposal.Status | None = None
    kind: Proposal.Kind | None = None
    overdue: bool = Field(False, description="只列临近或超过答复期限的")


class ProposalOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    session: str
    member_name: str
    title: str
    region: str
    lead_unit: str
    assigned_on: dt.date
    deadline: dt.date
    deadline_provisional: bool
    status: str
    status_label: str
    round: int
    result_class: str
    reply_number: str
    replied_on: dt.date | None
    feedback: str
    feedback_label: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_region(obj):
        return obj.region.name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_result_class(obj):
        return obj.result_class.name if obj.result_class_id else ""

    @staticmethod
    def resolve_feedback_label(obj):
        return obj.get_feedback_display()


class CoUnitOut(Schema):
    name: str
    opinion: str
    submitted_at: dt.datetime | None


class ProposalStatusOut(Schema):
    from_status: str
    to_status: str
    reason: str
    at: dt.datetime


class ProposalDetail(ProposalOut):
    text: str
    items: list[str]
    co_units: list[CoUnitOut]
    history: list[ProposalStatusOut]

    @staticmethod
    def resolve_items(obj):
        return [item.text for item in obj.items.all()]

    @staticmethod
    def resolve_co_units(obj):
        return list(obj.co_units.all())

    @staticmethod
    def resolve_history(obj):
        return list(obj.status_changes.all())


@router.get("/proposals", response=list[ProposalOut])
@paginate(BoundedLimitOffset)
def proposal_list(request, filters: Query[Filter]):
    require(proposals, request.auth, "view")
    return selectors.proposals_for(
        request.auth,
        status=filters.status or "",
        kind=filters.kind or "",
        q=filters.q.strip(),
        overdue=filters.overdue,
    )


@router.get("/proposals/{pk}", response=ProposalDetail)
def proposal_detail(request, pk: int):
    qs = Proposal.objects.select_related("region", "result_class").prefetch_related(
        "items", "co_units", "status_changes"
    )
    return get_object_or_404_for(proposals, request.auth, "view", qs=qs, pk=pk)

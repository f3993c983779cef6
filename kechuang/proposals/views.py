"""Proposal pages: list (with the overdue list), register, detail with the workflow, reply letter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kechuang.core import dates, exports
from kechuang.core.permissions import get_object_or_404_for
from kechuang.proposals import letter, rules, selectors, services
from kechuang.proposals.forms import (
    DraftReplyForm,
    OpinionForm,
    ProposalForm,
    ReplyDetailsForm,
    TransitionForm,
)
from kechuang.proposals.models import Proposal
from kechuang.proposals.permissions import co_units, proposals
from kechuang.reports import claims, docx_layout, signoff
from kechuang.reports.views import claims_failed, pdf_unavailable


@login_required
def proposal_list(request):
    if not proposals.may(request.user, "view"):
        raise PermissionDenied("无权查看建议提案。")
    today = dates.today()
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.proposals_for(request.user, overdue=overdue)
    context = {
        "rows": qs[:200],
        "overdue": overdue,
        "today": today,
        "may_create": proposals.allows_create(request.user),
    }
    return render(request, "proposals/list.html", context)


@login_required
def proposal_create(request):
    if not proposals.allows_create(request.user):
        raise PermissionDenied("无权登记建议提案。")
    form = ProposalForm(request.POST or None, initial={"months": 3})
    if request.method == "POST" and form.is_valid():
        c = dict(form.cleaned_data)
        try:
            proposal = services.proposal_register(actor=request.user, region=request.user.region, **c)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("proposals:detail", proposal.pk)
    return render(request, "proposals/form.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, proposal, errors=()):
    may_change = proposals.allows(request.user, "change", proposal)
    items = list(proposal.items.all())
    f = services.facts(proposal)
    actions = [
        {
            "to": step.target,
            "label": step.label,
            "reason": step.rule(f) if step.target != rules.FEEDBACK else "",
        }
        for step in rules.FLOW.allowed(proposal.status)
    ]
    return {
        "p": proposal,
        "may_change": may_change,
        "actions": actions,
        "errors": errors,
        "feedback_choices": Proposal.Feedback.choices,
        "details_form": ReplyDetailsForm(
            initial={
                "version": proposal.version,
                "result_class": proposal.result_class_id,
                "contact": proposal.contact,
            }
        ),
        "draft_form": DraftReplyForm(initial={"as_of": dates.today()}),
        "opinion_form": OpinionForm(),
        "changes": proposal.status_changes.select_related("actor"),
        "units": proposal.co_units.all(),
        "letter": letter.letter_parts(proposal),
        "items": items,
        "items_text": "\n".join(i.text for i in items)
        if items
        else "\n".join(rules.split_items(proposal.text)),
        "items_editable": proposal.status in (rules.ASSIGNED, rules.DRAFTING, rules.SECOND_ROUND),
        "suggested": services.suggested_result_class(proposal),
        "pdf_available": docx_layout.office_binary() is not None,
    }


def _get(request, pk, action="view"):
    qs = Proposal.objects.select_related("region", "result_class", "reply_draft")
    return get_object_or_404_for(proposals, request.user, action, qs=qs, pk=pk)


@login_required
def proposal_detail(request, pk: int):
    return render(request, "proposals/detail.html", _detail_context(request, _get(request, pk)))


def _run(request, proposal, fn):
    try:
        fn()
    except ValidationError as exc:
        return render(
            request, "proposals/detail.html", _detail_context(request, proposal, exc.messages), status=400
        )
    return redirect("proposals:detail", proposal.pk)


@login_required
@require_POST
def proposal_transition(request, pk: int):
    proposal = _get(request, pk, "change")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return render(
            request, "proposals/detail.html", _detail_context(request, proposal, ["操作无效。"]), status=400
        )
    c = form.cleaned_data
    return _run(
        request,
        proposal,
        lambda: services.proposal_transition(
            actor=request.user, proposal=proposal, to=c["to"], note=c["note"], feedback=c["feedback"]
        ),
    )


@login_required
@require_POST
def proposal_details(request, pk: int):
    proposal = _get(request, pk, "change")
    form = ReplyDetailsForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "proposals/detail.html",
            _detail_context(request, proposal, ["请检查答复信息。"]),
            status=400,
        )
    c = form.cleaned_data
    return _run(
        request,
        proposal,
        lambda: services.proposal_reply_details(
            actor=request.user,
            proposal=proposal,
            version=c["version"],
            result_class=c["result_class"],
            contact=c["contact"],
        ),
    )


@login_required
@require_POST
def proposal_draft(request, pk: int):
    proposal = _get(request, pk, "change")
    form = DraftReplyForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "proposals/detail.html",
            _detail_context(request, proposal, ["请填写数据截至日期。"]),
            status=400,
        )
    return _run(
        request,
        proposal,
        lambda: services.proposal_draft_reply(
            actor=request.user, proposal=proposal, as_of=form.cleaned_data["as_of"]
        ),
    )


@login_required
@require_POST
def proposal_items(request, pk: int):
    """The handler confirms (or corrects) the requests of the proposal, one a line."""
    proposal = _get(request, pk, "change")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return render(
            request,
            "proposals/detail.html",
            _detail_context(request, proposal, ["提交的数据不完整。"]),
            status=400,
        )
    texts = request.POST.get("items", "").replace("\r\n", "\n").split("\n")
    return _run(
        request,
        proposal,
        lambda: services.proposal_items_save(
            actor=request.user, proposal=proposal, version=version, texts=texts
        ),
    )


@login_required
@require_POST
def co_unit_opinion(request, pk: int):
    unit = get_object_or_404_for(co_units, request.user, "change", qs=None, pk=pk)
    form = OpinionForm(request.POST)
    proposal = _get(request, unit.proposal_id)
    if not form.is_valid():
        return render(
            request,
            "proposals/detail.html",
            _detail_context(request, proposal, ["请填写协办意见。"]),
            status=400,
        )
    return _run(
        request,
        proposal,
        lambda: services.co_unit_opinion(actor=request.user, unit=unit, opinion=form.cleaned_data["opinion"]),
    )


@login_required
def proposal_letter(request, pk: int, fmt: str = "docx"):
    proposal = _get(request, pk, "export")
    """The signed letter as stored at signing (its claims are not re-checked: it says what was true on the
    signing date); before signing, a draft render (marked 草稿, no 文号), refused while a claim fails."""
    date = proposal.replied_on or dates.today()
    back = reverse("proposals:detail", args=[proposal.pk])
    signed = letter.signed_document(proposal)
    if proposal.reply_draft_id and signed is None:
        report = claims.check_draft(proposal.reply_draft)
        if not report.ok:
            return claims_failed(request, report, back)
    data = letter.to_docx(proposal, date=date)
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if fmt == "pdf":
        try:
            data = signoff.signed_pdf(signed.pk) if signed else docx_layout.to_pdf(data)
        except docx_layout.PdfUnavailable as exc:
            return pdf_unavailable(request, str(exc), back)
        content_type = "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="reply-{proposal.number}.{fmt}"'
    exports.record_download(
        request, action="file.download", filename=f"reply-{proposal.number}.{fmt}", obj=proposal
    )
    return response

"""HNTE batch 2 at the demo date (2020-11-30): a review round that shows the draw always completing — an
expert without an account invited by the draw declines and is replaced from the sealed seed chain, the others
accept, one scores online, one paper sheet is entered by staff (代录) with its scan, the replacement still has
until 2020-12-03 to answer; and one pool expert without an account invited by staff, not yet signed in."""

from __future__ import annotations

from kechuang.programmes import services
from kechuang.programmes.demo.common import _at
from kechuang.programmes.demo.hnte import _audit_report
from kechuang.programmes.models import Call, ReviewAssignment
from kechuang.programmes.services.experts import expert_account

# A one-page PDF standing in for the signed paper score sheet (the upload check reads the content).
SHEET_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _panel_round(ctx, demo, enterprises, experts) -> None:
    call = Call.objects.get(name="2020年第二批", programme__eligibility_check="hnte")
    sheet = call.programme.scoring_sheet
    # Not 方达电子 (the demo firm login): its batch-2 application is left for the firm to start.
    org = next(o for o in reversed(enterprises) if o.name != "淄博方达电子有限公司")
    app = demo.apply(
        call,
        org,
        f"{org.name}高新技术企业认定申报",
        {
            "revenue": "38600000.00",
            "rd_expense": "5420000.00",
            "staff": "186",
            "st_staff": "34",
            "ip": [{"name": "一种精密轴套加工夹具", "kind": "发明专利", "number": "ZL20191234567.8"}],
            "tech_field": "2",
            "audit_report": [_audit_report(ctx, demo, org)],
            "summary": f"{org.name}主营精密零部件，建有区级研发中心。",
        },
        day="2020-11-10",
        field_code="2",
    )
    services.application_check(actor=demo.staff, application=app, result="accept")
    # Draw on Thursday 26 November: answers are due three working days later, 1 December.
    services.review_draw(
        actor=demo.staff, application=app, seed=f"demo-panel-{app.pk}", now=_at("2020-11-26", 10)
    )
    panel = list(app.assignments.select_related("expert__person").order_by("pk"))
    declining = next((a for a in panel if a.expert.invited_at), panel[0])
    services.assignment_respond(
        actor=expert_account(declining.expert) or demo.expert_user(declining.expert),
        assignment=declining,
        answer="decline",
        reason="11月27日至12月5日在外地参加学术会议，无法按期评审。",
        now=_at("2020-11-26", 15),
    )
    others = [a for a in panel if a.pk != declining.pk]
    for a in others:
        services.assignment_respond(
            actor=_user(demo, a), assignment=a, answer="accept", now=_at("2020-11-27", 9)
        )
    online, paper = others[0], others[1]
    services.score_submit(
        actor=_user(demo, online),
        application=app,
        points={c["code"]: round(c["max"] * 0.8, 1) for c in sheet},
        comment="研发投入持续，知识产权与主营产品关联度高，建议通过。",
        now=_at("2020-11-27", 16),
    )
    services.score_enter_on_behalf(
        actor=demo.staff,
        assignment=ReviewAssignment.objects.get(pk=paper.pk),
        points={c["code"]: round(c["max"] * 0.75, 1) for c in sheet},
        comment="（纸质评分表）成果转化记录完整，财务数据需补充审计说明。",
        sheet_data=SHEET_PDF,
        sheet_name=f"纸质评分表-{paper.expert}.pdf",
        now=_at("2020-11-30", 10),
    )
    # A pool expert without an account, invited by staff on 20 November, has not signed in yet.
    waiting = next(
        (
            e
            for e in experts
            if expert_account(e) is None and e.is_active and e.pk not in {a.expert_id for a in panel}
        ),
        None,
    )
    if waiting is not None:
        services.expert_invite(actor=demo.staff, expert=waiting, now=_at("2020-11-20"))


def _user(demo, assignment):
    return expert_account(assignment.expert) or demo.expert_user(assignment.expert)

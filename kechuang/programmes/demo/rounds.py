"""Rounds in every state at the demo date (2020-11-30), beside the decided ones (校城融合, small calls), the
one in 公示 (HNTE batch 1) and the panel under review (HNTE batch 2):

* HNTE batch 2 (申报中) gets its 申报指南, and firms at each step before review: a draft, a submission
  awaiting 形式审查, one returned for correction, one refused (不予受理), one withdrawn by the firm;
* in HNTE batch 1's 公示 an objection was found to hold (异议成立): the application is off the public list and
  cannot be approved until its resolution is recorded;
* 校城融合 2020年第二批 is announced with its guide and opens on 10 December (未开始).
Runs last, so the random draws of the other parts stay as they were."""

from __future__ import annotations

from kechuang.programmes import services
from kechuang.programmes.demo.common import _at
from kechuang.programmes.demo.hnte import _audit_report
from kechuang.programmes.models import Application, Call, Programme

GUIDE_PDF = (
    "%PDF-1.4\n% {title}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _guide(demo, call, title: str) -> None:
    services.call_add_guide(
        actor=demo.staff,
        call=call,
        data=GUIDE_PDF.format(title=title).encode(),
        original_name=f"{title}.pdf",
    )


def _data(ctx, demo, org, field: str) -> dict:
    revenue = 2600 * 10000 + len(org.name) * 170000
    return {
        "revenue": f"{revenue}.00",
        "rd_expense": f"{revenue * 6 // 100}.00",
        "staff": "120",
        "st_staff": "22",
        "ip": [{"name": f"一种{org.name[2:6]}检测装置", "kind": "实用新型", "number": "ZL20202012345.6"}],
        "tech_field": field,
        "audit_report": [_audit_report(ctx, demo, org)],
        "summary": f"{org.name}专注主营产品的工艺改进，设有研发部。",
    }


def _batch2_states(ctx, demo, enterprises) -> None:
    call = Call.objects.get(name="2020年第二批", programme__eligibility_check="hnte")
    _guide(demo, call, "2020年度第二批高新技术企业认定申报指南")
    _guide(demo, call, "高新技术企业认定申请书（模板）")
    used = set(
        Application.objects.filter(call__programme__eligibility_check="hnte").values_list(
            "organisation_id", flat=True
        )
    )
    firms = [o for o in enterprises if o.pk not in used and o.name != "淄博方达电子有限公司"][:5]
    if len(firms) < 5:
        return
    drafting, waiting, returned, refused, withdrawn = firms
    draft = services.application_create(
        actor=demo.firm_user(drafting),
        call=call,
        organisation=drafting,
        title=f"{drafting.name}高新技术企业认定申报",
        now=_at("2020-11-25"),
    )
    services.application_save_draft(
        actor=demo.firm_user(drafting),
        application=draft,
        data={"revenue": "21800000.00", "tech_field": "4"},
        expected_version=draft.version,
    )
    demo.apply(
        call, waiting, f"{waiting.name}高新技术企业认定申报", _data(ctx, demo, waiting, "1"), day="2020-11-27"
    )
    back = demo.apply(
        call,
        returned,
        f"{returned.name}高新技术企业认定申报",
        _data(ctx, demo, returned, "8"),
        day="2020-11-16",
    )
    services.application_check(
        actor=demo.staff,
        application=back,
        result="return",
        reason="知识产权清单中的实用新型已过期，请更新后重新提交。",
    )
    no = demo.apply(
        call, refused, f"{refused.name}高新技术企业认定申报", _data(ctx, demo, refused, "5"), day="2020-11-12"
    )
    services.application_check(
        actor=demo.staff,
        application=no,
        result="reject",
        reason="企业注册成立未满一年，不符合《高新技术企业认定管理办法》第十一条第（一）项。",
    )
    gone = demo.apply(
        call,
        withdrawn,
        f"{withdrawn.name}高新技术企业认定申报",
        _data(ctx, demo, withdrawn, "3"),
        day="2020-11-18",
    )
    services.application_transition(
        actor=demo.firm_user(withdrawn),
        application=gone,
        to="withdrawn",
        reason="研发费用归集需重新审计，下一批次再申报。",
        now=_at("2020-11-20"),
    )


def _upheld_objection(demo) -> None:
    call = Call.objects.get(name="2020年第一批", programme__eligibility_check="hnte")
    period = call.publicities.first()
    if period is None:
        return
    app = period.applications.filter(objections__isnull=True).order_by("-pk").first()
    if app is None:
        return
    from kechuang.core import services as core_services

    evidence = core_services.attachment_store(
        actor=None,
        data=GUIDE_PDF.format(title="专利登记簿副本").encode(),
        original_name="专利登记簿副本.pdf",
        kind="objection_evidence",
        allowed={"application/pdf"},
    )
    objection = services.objection_submit(
        publicity=period,
        application=app,
        evidence=evidence,
        name="李秀梅",
        contact="13953312876",
        reason="该企业申报的核心专利已于2020年8月转让给其他公司，不应再作为本企业的知识产权。",
        now=_at("2020-11-26", 14),
    )
    services.objection_answer(
        actor=demo.staff,
        objection=objection,
        answer="经查询国家知识产权局专利登记簿，该专利权已于2020年8月12日转让，异议成立。",
        upheld=True,
    )


def _upcoming(demo) -> None:
    programme = Programme.objects.get(code="school-city-2020")
    call = demo.call(
        programme,
        "2020年第二批",
        "2020-12-10",
        "2021-01-20",
        quota=15,
        notice="支持企业与高校院所联合开展技术攻关，申报指南及申请书模板见附件。",
    )
    _guide(demo, call, "2020年第二批校城融合发展项目申报指南")


def _round_states(ctx, demo, enterprises) -> None:
    _batch2_states(ctx, demo, enterprises)
    _upheld_objection(demo)
    _upcoming(demo)

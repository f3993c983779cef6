"""Eligibility pre-checks: a programme whose `eligibility_check` is `hnte` or `tech_sme` runs the enterprises
module's eligibility engine (through its adapter, `enterprises.eligibility.assess`) over the applicant firm's
register data. The result is shown on the application pages and stored on the application at submission;
it blocks submission only when the programme says so (`eligibility_blocks`) and the firm clearly fails."""

from __future__ import annotations

import datetime as dt

from kechuang.core import dates

KINDS = {"hnte": "高新技术企业认定条件", "tech_sme": "科技型中小企业评价条件"}


def run(application, *, as_of: dt.date | None = None) -> dict | None:
    """The pre-check result as plain JSON-able data, or None when the programme has no pre-check or the
    applicant is not an organisation."""
    key = application.call.programme.eligibility_check
    if key not in KINDS or application.organisation_id is None:
        return None
    from kechuang.enterprises.eligibility import assess

    as_of = as_of or dates.today()
    assessment = assess(application.organisation, as_of)
    evaluation = assessment.hnte if key == "hnte" else assessment.tech_sme
    return {
        **evaluation.to_dict(),
        "check": key,
        "check_label": KINDS[key],
        "as_of": as_of.isoformat(),
        "years": assessment.years,
    }


def verdict(result: dict | None) -> str:
    """One Chinese line for a stored or fresh result."""
    if not result:
        return ""
    if result["eligible"] is True:
        return f"按企业库数据预审：符合{result['check_label']}。"
    if result["eligible"] is False:
        return f"按企业库数据预审：不符合{result['check_label']}。"
    return f"按企业库数据预审：暂无法判断是否符合{result['check_label']}（数据不全或需专家评判）。"


def blocking_message(application, result: dict | None) -> str:
    """Why submission is refused, or "" when the programme does not block or the firm does not clearly fail."""
    programme = application.call.programme
    if not programme.eligibility_blocks or not result or result["eligible"] is not False:
        return ""
    failed = [c["name"] for c in result["criteria"] if c["gating"] and c["passed"] is False]
    return (
        f"本项目要求预审符合{result['check_label']}后方可提交；不符合："
        + "、".join(failed or ["见预审结果"])
        + "。"
    )

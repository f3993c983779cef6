"""The demo district's notices and policy documents, through the same workflow staff use on the pages:
one staff member drafts, another reviews and publishes; one is still under review, one draft, one withdrawn."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kechuang.portal import services
from kechuang.portal.models import Notice

PUBLISHED = [
    (
        Notice.Category.NOTICE,
        "",
        "关于组织开展2020年度第一批高新技术企业认定申报工作的通知",
        "各有关企业：根据《高新技术企业认定管理办法》，现组织开展2020年度第一批高新技术企业认定申报工作。",
        "2020-04-10",
    ),
    (
        Notice.Category.NOTICE,
        "",
        "关于举办“科技赋能新周村”系列活动的通知",
        "定于8月28—29日举办“科技赋能新周村”系列活动，包括专家到企业一线考察对接、研企交流会、一对一科技问诊和创新论坛。",
        "2020-08-20",
    ),
    (
        Notice.Category.POLICY,
        "周科发〔2020〕3号",
        "周村区科技创新券管理办法（试行）",
        "为降低企业创新成本，设立“周村科技创新券”，支持企业购买科技服务。",
        "2020-03-02",
    ),
    (
        Notice.Category.POLICY,
        "周科发〔2020〕7号",
        "周村区科技特派员农村科技创业行动实施方案",
        "围绕特色产业和重点村，组织科技特派员与村、合作社、企业结对，开展亮牌服务。",
        "2020-05-15",
    ),
]
# A short but well-formed PDF, so the attachment opens in a browser.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9, 0)))


def build(ctx) -> None:
    region, drafter, reviewer = ctx.district, ctx.users["staff"], ctx.users["staff2"]
    for category, number, title, body, day in PUBLISHED:
        files = [(f"{title}.pdf", PDF)] if category == Notice.Category.POLICY else []
        notice = services.notice_create(
            actor=drafter,
            region=region,
            title=title,
            body=body,
            category=category,
            doc_number=number,
            files=files,
        )
        services.notice_step(actor=drafter, notice=notice, to="review")
        services.notice_step(actor=reviewer, notice=notice, to="published", published_at=_at(day))
    waiting = services.notice_create(
        actor=drafter,
        region=region,
        title="关于开展2020年度科技型中小企业评价入库“回头看”的通知",
        body="各有关企业：请已入库企业核对并更新研发投入与人员数据。",
    )
    services.notice_step(actor=drafter, notice=waiting, to="review")
    services.notice_create(
        actor=reviewer,
        region=region,
        title="2021年度区级科技计划项目申报指南（征求意见稿）",
        body="本指南为征求意见稿，尚未定稿。",
        category=Notice.Category.POLICY,
    )
    withdrawn = services.notice_create(
        actor=drafter, region=region, title="关于调整创新券兑付时间的通知", body="原定兑付时间调整。"
    )
    services.notice_step(actor=drafter, notice=withdrawn, to="review")
    services.notice_step(actor=reviewer, notice=withdrawn, to="published", published_at=_at("2020-09-01"))
    services.notice_step(
        actor=drafter, notice=withdrawn, to="withdrawn", comment="兑付时间已另行通知，原通知作废。"
    )

"""The district's real kinds of support as policies (高企认定奖励, 科技型中小企业入库奖励, 研发投入后补助,
创新券), matched against the demo firms, with a 免申即享 batch paid from list to ledger (2019, so the 2020
figures of the seed reply are untouched), a 2020 batch in 公示 with an objection, and a simulation of a
draft revision over its R&D threshold. Built through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kechuang.core.demo import DEMO_TODAY
from kechuang.policies.services import awards, objections, policies
from kechuang.policies.services.matching import run_match
from kechuang.policies.services.simulate import simulate
from kechuang.vouchers.services import funds

D = Decimal


def _item(staff, policy, title, key, delivery, benefit, conditions, text=""):
    item = policies.item_save(
        actor=staff,
        policy=policy,
        benefit_raw=benefit,
        title=title,
        key=key,
        text=text,
        delivery=delivery,
        budget=None,
    )
    for kind, raw, *group in conditions:  # a third element: the any-of group ("new" starts one)
        policies.condition_add(actor=staff, item=item, kind=kind, raw=raw, group=group[0] if group else 0)
    return item


def _policies(ctx, staff):
    district = ctx.district
    doc = policies.document_create(
        actor=staff,
        region=district,
        title="周村区支持科技创新发展的若干政策",
        number="周政发〔2019〕3号",
        issuer="周村区人民政府",
        issued_on=dt.date(2019, 1, 15),
        effective_from=dt.date(2019, 1, 15),
        effective_until=dt.date(2021, 12, 31),
    )
    region = ("region", {"codes": [district.path], "names": [district.name]})
    hnte = policies.policy_create(
        actor=staff,
        document=doc,
        code="hnte-award",
        name="高新技术企业认定奖励",
        summary="上一年度首次通过高新技术企业认定的企业，一次性奖励10万元，无需申请；有意申报高企的企业，平台按认定条件自评后提示培育辅导。",
        budget=D(3000000),
    )
    first = _item(
        staff,
        hnte,
        "首次认定奖励",
        "hnte-first",
        "automatic",
        {"kind": "fixed", "amount": "100000"},
        [
            (
                "qualification",
                {"qual_kind": "hnte", "qual_name": "高新技术企业", "mode": "first_in", "year_offset": 1},
            ),
            region,
            ("prior_awards", {"scope": "item", "max_times": 1}),
        ],
        text="对上一年度首次认定的高新技术企业，给予一次性奖励10万元。",
    )
    _item(
        staff,
        hnte,
        "高企培育辅导补助",
        "hnte-cultivate",
        "call",
        {"kind": "fixed", "amount": "20000"},
        [
            ("qualification", {"qual_kind": "hnte", "qual_name": "高新技术企业", "mode": "not_held"}),
            ("engine", {"rule": "hnte"}),
            region,
        ],
    )
    sme = policies.policy_create(
        actor=staff,
        document=doc,
        code="tech-sme-award",
        name="科技型中小企业入库奖励",
        summary="当年评价入库的科技型中小企业，每家奖励1万元，免申即享。",
        budget=D(1000000),
    )
    sme_item = _item(
        staff,
        sme,
        "入库奖励",
        "tech-sme-entry",
        "automatic",
        {"kind": "fixed", "amount": "10000"},
        [
            (
                "qualification",
                {
                    "qual_kind": "tech_sme",
                    "qual_name": "科技型中小企业",
                    "mode": "issued_in",
                    "year_offset": 0,
                },
            ),
            region,
            ("prior_awards", {"scope": "item", "max_times": 1, "years": 1}),
        ],
    )
    rd = policies.policy_create(
        actor=staff,
        document=doc,
        code="rd-subsidy",
        name="研发投入后补助",
        summary="上一年度研发费用占销售收入3%以上、研发费用50万元以上的企业，按研发费用的10%给予后补助，最高30万元；企业在线确认即可（快申快享）。",
        budget=D(5000000),
    )
    _item(
        staff,
        rd,
        "研发费用后补助",
        "rd-subsidy",
        "quick",
        {"kind": "percent", "base": "rd_hnte", "year_offset": 1, "rate": "10", "cap": "300000"},
        [
            ("rd_ratio", {"year_offset": 1, "op": "gte", "value": "3"}),
            ("fact", {"field": "rd_hnte", "year_offset": 1, "op": "gte", "value": "50"}),
            region,
            ("prior_awards", {"scope": "item", "max_times": 1, "years": 1}),
        ],
    )
    voucher = policies.policy_create(
        actor=staff,
        document=doc,
        code="innovation-voucher",
        name="科技创新券",
        summary="科技型中小企业和高新技术企业购买检验检测、技术开发等服务，可申领创新券，按合同额50%兑付，每家每年最高20万元（按创新券申领通知申报）。",
    )
    _item(
        staff,
        voucher,
        "创新券申领",
        "voucher",
        "call",
        {"kind": "fixed", "amount": "200000"},
        [  # either certificate will do (满足其一)
            (
                "qualification",
                {"qual_kind": "tech_sme", "qual_name": "科技型中小企业", "mode": "valid"},
                "new",
            ),
            ("qualification", {"qual_kind": "hnte", "qual_name": "高新技术企业", "mode": "valid"}, 1),
            region,
        ],
    )
    for p in (hnte, sme, rd, voucher):
        policies.policy_publish(actor=staff, policy=p, on=dt.date(2019, 1, 20))
    return first, sme_item, rd


def _paid_batch(ctx, staff, staff2, item):
    """2019: the firms first recognised in 2018, listed, approved, publicised and paid."""
    line = funds.budget_line_create(
        actor=staff,
        name="高新技术企业认定奖励资金",
        kind="support",
        year=2019,
        region=ctx.district,
        budget=D(3000000),
        booked_on=dt.date(2019, 3, 1),
    )
    batch = awards.batch_create(
        actor=staff, item=item, period=2019, as_of=dt.date(2019, 4, 30), budget_line=line
    )
    awards.batch_approve(actor=staff2, batch=batch)
    awards.publicity_open(actor=staff, batch=batch, starts_on=dt.date(2019, 5, 6), today=dt.date(2019, 5, 6))
    awards.pay_request(actor=staff, batch=batch, on=dt.date(2019, 5, 14))
    awards.pay_approve(actor=staff2, batch=batch, on=dt.date(2019, 5, 15))
    awards.pay_confirm(actor=staff, batch=batch, on=dt.date(2019, 5, 16))


def _batch_in_publicity(ctx, staff, staff2, item):
    line = funds.budget_line_create(
        actor=staff,
        name="科技型中小企业入库奖励资金",
        kind="support",
        year=2020,
        region=ctx.district,
        budget=D(1000000),
        booked_on=dt.date(2020, 3, 1),
    )
    batch = awards.batch_create(
        actor=staff, item=item, period=2020, as_of=dt.date(2020, 11, 20), budget_line=line
    )
    awards.batch_approve(actor=staff2, batch=batch)
    awards.publicity_open(
        actor=staff, batch=batch, starts_on=dt.date(2020, 11, 26), today=dt.date(2020, 11, 26)
    )
    award = batch.awards.order_by("organisation__name").first()
    objections.objection_submit(
        batch=batch,
        award=award,
        name="刘明",
        contact="13905331234",
        reason="该企业实际从业人员已超过500人，不符合科技型中小企业条件，请核实。",
        now=timezone.make_aware(dt.datetime(2020, 11, 27, 10, 0)),
    )


def build(ctx) -> None:
    staff, staff2 = ctx.users["staff"], ctx.users["staff2"]
    hnte_first, sme_item, rd = _policies(ctx, staff)
    _paid_batch(ctx, staff, staff2, hnte_first)
    _batch_in_publicity(ctx, staff, staff2, sme_item)
    draft = policies.policy_revise(actor=staff, policy=rd)
    ratio = draft.items.get().conditions.get(kind="rd_ratio")
    simulate(
        actor=staff,
        policy=draft,
        on=DEMO_TODAY,
        region=ctx.district,
        condition=ratio,
        values=[D(2), D(3), D(4), D(5), D(6)],
    )
    run_match(region_path=ctx.district.path, on=DEMO_TODAY)

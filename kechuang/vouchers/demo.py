"""The 2020 周村科技创新券 programme, 校城融合 support funds and 周村区科技先锋 prizes, built through the
real services so the ledger, audit trail and indicators are exactly what production would hold.

Paid in 2020 (the seed's “扶持资金与‘周村科技创新券’251万元”): vouchers 1,210,000 + 校城融合 support funds
1,100,000 + 科技先锋 prizes 200,000 = 2,510,000 元 (`vouchers_and_funds_paid` for 2020).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.core import services as core_services
from kechuang.core.demo import DEMO_TODAY
from kechuang.core.models import Organisation
from kechuang.enterprises.models import Qualification, QualificationKind
from kechuang.vouchers import demo_providers, services
from kechuang.vouchers.models import BudgetLine

D = Decimal
PAID_VOUCHERS = [D(100000)] * 5 + [D(80000)] * 5 + [D(50000)] * 4 + [D(22000)] * 5  # 1,210,000
SUPPORT = [  # (reference, amount, instalments paid)
    ("方达电子—山东理工大学 电子材料产学研合作项目", D(300000), [D(150000), D(150000)]),
    ("华安新材料—齐鲁工业大学 新材料联合研发项目", D(250000), [D(250000)]),
    ("恒利导热油—中国石油大学（华东）导热油技术合作项目", D(200000), [D(200000)]),
    ("广晟生物—淄博职业学院 生物发酵技术合作项目", D(200000), [D(200000)]),
    ("金宇钢构—山东理工大学 钢结构智能制造合作项目", D(150000), [D(100000), D(50000)]),
]
PIONEERS = 10  # 周村区科技先锋, 20,000 元 each


def _files(ctx, org, tag: str) -> dict:
    def one(kind: str):
        return core_services.attachment_store(
            actor=ctx.users["staff"],
            data=f"%PDF-1.4\n% {org.name} {tag} {kind}\n".encode(),
            original_name=f"{tag}-{kind}.pdf",
            kind=f"兑付-{kind}",
            organisation=org,
        )

    return {
        "contract_file": one("服务合同"),
        "invoice_file": one("发票"),
        "payment_file": one("付款凭证"),
        "output_file": one("服务成果"),
    }


def _eligible_firms(ctx) -> list[Organisation]:
    day = dt.date(2020, 3, 1)
    held = (
        Qualification.objects.valid_on(day)
        .filter(kind__code__in=["tech_sme", "hnte"])
        .values("organisation_id")
    )
    return list(
        Organisation.objects.filter(pk__in=held, region__path__startswith=ctx.district.path).order_by(
            "name", "pk"
        )
    )


def _providers(ctx, programme):
    staff = ctx.users["staff"]
    items = list(programme.service_items.all())
    providers = []
    for name in ("山东理工大学", "淄博职业学院", "齐鲁工业大学（山东省科学院）", "中国石油大学（华东）"):
        p = services.provider_register(actor=staff, organisation=ctx.orgs[name], services=items)
        providers.append(
            services.provider_vet(actor=staff, provider=p, approve=True, on=dt.date(2020, 3, 20))
        )
    extra = []
    for name, approve in (
        ("淄博市检验检测中心有限公司", True),
        ("淄博慧知知识产权代理有限公司", True),
        ("淄博启航科技咨询有限公司", False),
    ):
        org = core_services.organisation_create(
            actor=staff,
            name=name,
            credit_code=ctx.credit_code(division="370303"),
            region=ctx.district,
            legal_representative="王" + name[2:4],
        )
        p = services.provider_register(actor=staff, organisation=org, services=items)
        extra.append(services.provider_vet(actor=staff, provider=p, approve=approve, on=dt.date(2020, 3, 20)))
    return providers + extra[:1], extra[1]


def _voucher(ctx, programme, firm, amount, issued, provider=None, contract=None, delivered=None):
    staff = ctx.users["staff"]
    v = services.voucher_claim(
        actor=staff, programme=programme, organisation=firm, amount=amount, on=issued - dt.timedelta(days=7)
    )
    if issued > DEMO_TODAY:
        return v
    v = services.voucher_issue(actor=staff, voucher=v, on=issued)
    if provider is not None:
        # the n-th voucher of the programme, not its primary key: a database whose ids started elsewhere
        # (sequences are not rolled back with a test's transaction on PostgreSQL) builds the same demo
        n = programme.vouchers.filter(pk__lte=v.pk).count()
        services.voucher_contract(
            actor=staff,
            voucher=v,
            provider=provider,
            contract_amount=contract or amount * 2,
            signed_on=issued + dt.timedelta(days=10),
            contract_number=f"ZCKJQ-{n:04d}",
            service_item=programme.service_items.order_by("pk")[n % 3],
        )
    if delivered is not None:
        services.voucher_deliver(actor=staff, voucher=v, delivered_on=delivered)
    return v


def _pay(ctx, redemption, on):
    staff, staff2 = ctx.users["staff"], ctx.users["staff2"]
    services.redemption_review(
        actor=staff2, redemption=redemption, approve=True, on=on - dt.timedelta(days=25)
    )
    services.redemption_close_publicity(actor=staff2, redemption=redemption, on=on - dt.timedelta(days=1))
    services.redemption_request_payout(actor=staff, redemption=redemption)
    return services.redemption_pay(actor=staff2, redemption=redemption, on=on)


def build(ctx) -> None:
    staff, staff2 = ctx.users["staff"], ctx.users["staff2"]
    kinds = QualificationKind.objects.filter(code__in=["tech_sme", "hnte"])
    programme = services.programme_create(
        actor=staff,
        name="周村科技创新券",
        year=2020,
        region=ctx.district,
        share_percent=D(50),
        cap_per_firm=D(100000),
        budget=D(2000000),
        validity_days=180,
        publicity_days=5,
        eligible_kinds=kinds,
        services=(
            ("检验检测", "检验检测"),
            ("技术开发与转让", "研究开发"),
            ("知识产权服务", "知识产权"),
            ("科技咨询", "科技咨询"),
        ),
        booked_on=dt.date(2020, 2, 1),
    )
    services.batch_create(
        actor=staff,
        programme=programme,
        name="第一批",
        opens_on=dt.date(2020, 2, 20),
        closes_on=dt.date(2020, 3, 31),
    )
    services.batch_create(
        actor=staff,
        programme=programme,
        name="第二批",
        opens_on=dt.date(2020, 5, 20),
        closes_on=dt.date(2020, 11, 30),
    )
    providers, blacklisted = _providers(ctx, programme)
    firms = _eligible_firms(ctx)
    it = iter(firms)

    paid_first = []
    for i, amount in enumerate(PAID_VOUCHERS):
        firm = next(it)
        v = _voucher(
            ctx,
            programme,
            firm,
            amount,
            dt.date(2020, 6, 10) + dt.timedelta(days=i),
            providers[i % len(providers)],
            delivered=dt.date(2020, 8, 20) + dt.timedelta(days=i),
        )
        r = services.redemption_submit(
            actor=staff,
            voucher=v,
            amount=amount,
            idempotency_key=f"demo-{v.number}",
            on=dt.date(2020, 9, 1) + dt.timedelta(days=i),
            **_files(ctx, firm, v.number),
        )
        paid_first.append(_pay(ctx, r, dt.date(2020, 10, 12) + dt.timedelta(days=i)))

    # A payout reversed (paid to the wrong account) and paid again on a new request: net effect zero.
    firm = next(it)
    v = _voucher(
        ctx, programme, firm, D(30000), dt.date(2020, 6, 15), providers[0], delivered=dt.date(2020, 8, 25)
    )
    r = services.redemption_submit(
        actor=staff,
        voucher=v,
        amount=D(30000),
        idempotency_key=f"demo-{v.number}-a",
        on=dt.date(2020, 9, 3),
        **_files(ctx, firm, v.number),
    )
    _pay(ctx, r, dt.date(2020, 10, 20))
    services.redemption_reverse(
        actor=staff, redemption=r, reason="收款账户有误，款项退回", on=dt.date(2020, 10, 26)
    )

    # Live vouchers in every other state, as of 2020-11-30.
    services.voucher_claim(
        actor=staff,
        programme=programme,
        organisation=next(it),
        amount=D(50000),
        on=dt.date(2020, 11, 23),
        purpose="检验检测",
    )
    rejected = services.voucher_claim(
        actor=staff, programme=programme, organisation=next(it), amount=D(80000), on=dt.date(2020, 11, 2)
    )
    services.voucher_reject(actor=staff, voucher=rejected, reason="拟购买服务不在服务目录内")
    _voucher(ctx, programme, next(it), D(40000), dt.date(2020, 9, 15))
    _voucher(ctx, programme, next(it), D(60000), dt.date(2020, 9, 20), providers[1])
    pending = _voucher(
        ctx, programme, next(it), D(50000), dt.date(2020, 7, 1), providers[2], delivered=dt.date(2020, 10, 30)
    )
    services.redemption_submit(  # on a partial invoice: 90,000 of the 100,000 contract invoiced so far
        actor=staff,
        voucher=pending,
        amount=D(45000),
        invoice_amount=D(90000),
        idempotency_key=f"demo-{pending.number}",
        on=dt.date(2020, 11, 25),
        **_files(ctx, pending.organisation, pending.number),
    )
    public = _voucher(
        ctx, programme, next(it), D(70000), dt.date(2020, 7, 5), providers[3], delivered=dt.date(2020, 11, 2)
    )
    r = services.redemption_submit(
        actor=staff,
        voucher=public,
        amount=D(70000),
        idempotency_key=f"demo-{public.number}",
        on=dt.date(2020, 11, 10),
        **_files(ctx, public.organisation, public.number),
    )
    services.redemption_review(actor=staff2, redemption=r, approve=True, on=dt.date(2020, 11, 26))
    queued = _voucher(
        ctx, programme, next(it), D(30000), dt.date(2020, 7, 8), providers[0], delivered=dt.date(2020, 10, 15)
    )
    r = services.redemption_submit(
        actor=staff,
        voucher=queued,
        amount=D(30000),
        idempotency_key=f"demo-{queued.number}",
        on=dt.date(2020, 10, 20),
        **_files(ctx, queued.organisation, queued.number),
    )
    services.redemption_review(actor=staff2, redemption=r, approve=True, on=dt.date(2020, 10, 22))
    services.redemption_close_publicity(actor=staff2, redemption=r, on=dt.date(2020, 11, 5))
    services.redemption_request_payout(actor=staff, redemption=r)

    # Expired unused (first batch, 180 days) and voided for fraud with the provider blacklisted.
    for amount in (D(40000), D(25000)):
        _voucher(ctx, programme, next(it), amount, dt.date(2020, 3, 10))
    fraud = _voucher(
        ctx, programme, next(it), D(60000), dt.date(2020, 6, 20), blacklisted, delivered=dt.date(2020, 8, 1)
    )
    services.redemption_submit(
        actor=staff,
        voucher=fraud,
        amount=D(60000),
        idempotency_key=f"demo-{fraud.number}",
        on=dt.date(2020, 8, 5),
        **_files(ctx, fraud.organisation, fraud.number),
    )
    services.voucher_void(
        actor=staff,
        voucher=fraud,
        reason="服务成果与合同不符，涉嫌虚开发票",
        on=dt.date(2020, 8, 20),
        blacklist_provider=True,
    )
    services.voucher_expire_due(actor=staff, as_of=DEMO_TODAY)

    _support_funds(ctx, firms)
    _affiliation(ctx, providers[-1], firms)
    demo_providers.build(ctx, programme, providers)


def _affiliation(ctx, provider, firms) -> None:
    """A recorded shareholding: the testing centre holds shares in a firm, which therefore may not buy its
    services with a voucher (shown on the provider page; the contract check refuses it)."""
    from kechuang.vouchers.models import Voucher

    used = set(Voucher.objects.filter(provider=provider).values_list("organisation_id", flat=True))
    firm = next(f for f in sorted(firms, key=lambda f: f.name) if f.pk not in used)
    services.affiliation_record(
        actor=ctx.users["staff"],
        organisation_a=provider.organisation,
        organisation_b=firm,
        kind="shareholder",
        note=f"{provider.organisation.name}持有该企业15%股权（2019年工商变更登记）",
    )


def _support_funds(ctx, firms) -> None:
    staff, staff2 = ctx.users["staff"], ctx.users["staff2"]
    line = services.budget_line_create(
        actor=staff,
        name="校城融合项目扶持资金",
        kind=BudgetLine.Kind.SUPPORT,
        year=2020,
        region=ctx.district,
        budget=D(1500000),
        booked_on=dt.date(2020, 2, 1),
    )
    names = {
        "方达电子": "淄博方达电子有限公司",
        "华安新材料": "山东华安新材料有限公司",
        "恒利导热油": "淄博恒利导热油有限公司",
        "广晟生物": "山东广晟生物科技有限公司",
        "金宇钢构": "淄博金宇钢构有限公司",
    }
    for i, (reference, amount, instalments) in enumerate(SUPPORT):
        org = ctx.orgs.get(names[reference.split("—")[0]])
        a = services.allocation_propose(
            actor=staff,
            budget_line=line,
            amount=amount,
            reference=reference,
            on=dt.date(2020, 4, 10),
            organisation=org,
        )
        services.allocation_approve(actor=staff2, allocation=a, on=dt.date(2020, 4, 20))
        for j, part in enumerate(instalments):
            on = dt.date(2020, 5 + 4 * j, 15 + i)
            inst = services.instalment_request(
                actor=staff, allocation=a, amount=part, idempotency_key=f"demo-support-{i}-{j}", on=on
            )
            services.instalment_pay(actor=staff2, instalment=inst, on=on)
    open_alloc = services.allocation_propose(
        actor=staff,
        budget_line=line,
        amount=D(120000),
        reference="鲁铭高温材料—山东理工大学 耐火材料合作项目",
        on=dt.date(2020, 10, 10),
        organisation=ctx.orgs.get("淄博鲁铭高温材料科技有限公司"),
    )
    services.allocation_approve(actor=staff2, allocation=open_alloc, on=dt.date(2020, 10, 20))
    services.instalment_request(
        actor=staff,
        allocation=open_alloc,
        amount=D(60000),
        idempotency_key="demo-support-open",
        on=dt.date(2020, 11, 25),
    )
    services.allocation_propose(
        actor=staff,
        budget_line=line,
        amount=D(100000),
        reference="嘉岳新材料—淄博职业学院 产学研合作项目",
        on=dt.date(2020, 11, 20),
        organisation=ctx.orgs.get("淄博嘉岳新材料有限公司"),
    )

    prizes = services.budget_line_create(
        actor=staff,
        name="周村区科技先锋奖金",
        kind=BudgetLine.Kind.PRIZE,
        year=2020,
        region=ctx.district,
        budget=D(200000),
        booked_on=dt.date(2020, 2, 1),
    )
    for i, firm in enumerate(firms[-PIONEERS:]):
        a = services.allocation_propose(
            actor=staff,
            budget_line=prizes,
            amount=D(20000),
            reference="2020年度周村区科技先锋（奖金与奖杯）",
            on=dt.date(2020, 11, 2),
            organisation=firm,
        )
        services.allocation_approve(actor=staff2, allocation=a, on=dt.date(2020, 11, 5))
        inst = services.instalment_request(
            actor=staff,
            allocation=a,
            amount=D(20000),
            idempotency_key=f"demo-pioneer-{i}",
            on=dt.date(2020, 11, 10),
        )
        services.instalment_pay(actor=staff2, instalment=inst, on=dt.date(2020, 11, 12))

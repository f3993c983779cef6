"""Work-summary templates: the neutral default every bureau starts from, and the seed reply's style.

A template is sections of blocks; a block is `{"kind": "generated", "generator": key}` (a sentence the
drafting engine writes from records, left out when its data is empty), `{"kind": "lead", "text": …}` (a
lead-in numbered 一是/二是 and dropped when nothing follows it), `{"kind": "computed", "text": "…{code}…"}`
(the bureau's own sentence with figure placeholders) or `{"kind": "text", "text": …}` (the bureau's own
words). Headings are numbered 一、二、… at drafting time over the sections that have content.

No sentence of the seed reply is stored here: the neutral default names no district, programme or firm;
the seed style only adds the seed's headings and lead-ins around the same generated sentences, so on the
demo district the draft reads like the seed and elsewhere it says what that district's records say.
"""

from __future__ import annotations


def G(key: str) -> dict:  # noqa: N802 - short constructors keep the template readable
    return {"kind": "generated", "generator": key}


def L(text: str) -> dict:  # noqa: N802
    return {"kind": "lead", "text": text}


DEFAULT_CODE = "annual-work"
SEED_CODE = DEFAULT_CODE  # the code drafts and the `report` command look up (kept for callers)

SECTION_GENERATORS = {
    "opening": ["overview"],
    "enterprises": ["ladder", "hnte_applications", "municipal_pool", "hnte_totals", "rd", "achievements"],
    "platforms": ["communities", "platforms_building", "alliances", "platforms_recognised"],
    "talent": ["talent_awards", "foreign_experts", "nominations", "foreign_provincial"],
    "cooperation": [
        "school_city",
        "events",
        "funds_paid",
        "taishan_studios",
        "agreements",
        "experts_transfer",
        "reserve",
        "supervision",
    ],
    "agritech": ["key_villages", "commissioners"],
    "next": ["next_steps"],
}

KEYWORDS = {
    "enterprises": "科技创新,企业,高企,高新技术,研发,产业,创新能力,转型,科技型中小企业",
    "platforms": "科技创新,平台,孵化,众创,研发机构,院士,联盟,载体",
    "talent": "科技创新,人才,专家,引智,英才,创业大赛",
    "cooperation": "科技创新,校城,高校,合作,产学研,项目,成果转化,科技计划",
    "agritech": "科技创新,农业,扶贫,特派员,乡村,农科,脱贫",
}

NEUTRAL_HEADINGS = {
    "enterprises": "科技型企业培育与研发投入。",
    "platforms": "创新平台建设。",
    "talent": "科技人才培育与引进。",
    "cooperation": "产学研合作与科技项目管理。",
    "agritech": "农业科技与科技特派员服务。",
}

DEFAULT_TEMPLATE = {
    "code": DEFAULT_CODE,
    "name": "年度科技创新工作总结（提案答复正文）",
    "title": "{region}科技局{year}年科技创新工作情况",
    "style": "plain",
    "opening": "",
    "closing": "",
    "sections": [
        {
            "key": key,
            "heading": NEUTRAL_HEADINGS.get(key, ""),
            "keywords": KEYWORDS.get(key, ""),
            "blocks": [G(g) for g in gens],
        }
        for key, gens in SECTION_GENERATORS.items()
    ],
}

# The seed reply's style: its headings and the lead-ins of its 一是/二是 parts, around the generated sentences.
SEED_STYLE_SECTIONS = [
    {"key": "opening", "heading": "", "blocks": [G("overview")]},
    {
        "key": "enterprises",
        "heading": "加快高新产业发展，培育科技创新的“主力军”。",
        "blocks": [
            L("注重高企培育，提升自主创新能力。"),
            G("ladder"),
            G("hnte_applications"),
            G("municipal_pool"),
            G("hnte_totals"),
            L("注重研发投入统计，落实科技成果奖励政策。"),
            G("rd"),
            G("achievements"),
        ],
    },
    {
        "key": "platforms",
        "heading": "提质升级平台建设，搭建科技创新的“强载体”。",
        "blocks": [
            L("构建协同型合作平台。"),
            G("communities"),
            L("组建高层次科技创新平台。"),
            G("platforms_building"),
            G("alliances"),
            L("打造高水平孵化平台。"),
            G("platforms_recognised"),
        ],
    },
    {
        "key": "talent",
        "heading": "加强人才培育集聚，打造科技创新的“强磁场”。",
        "blocks": [
            L("实施高层次科技人才培育工程。"),
            G("talent_awards"),
            L("实施国外智力招引工程。"),
            G("foreign_experts"),
            G("nominations"),
            G("foreign_provincial"),
        ],
    },
    {
        "key": "cooperation",
        "heading": "推进校城深度融合，形成科技创新的“项目池”。",
        "blocks": [
            L("积极探索“引进来”+“走出去”科技合作交流模式。"),
            G("school_city"),
            G("events"),
            G("funds_paid"),
            G("taishan_studios"),
            G("agreements"),
            G("experts_transfer"),
            L("坚持征集需求与项目策划“两条腿”走路，帮助企业策划实施科技项目。"),
            G("reserve"),
            G("supervision"),
        ],
    },
    {
        "key": "agritech",
        "heading": "强化农业科技发展，做好科技扶贫的“助推器”。",
        "blocks": [G("key_villages"), G("commissioners")],
    },
    {"key": "next", "heading": "", "blocks": [G("next_steps")]},
]

SEED_STYLE_TEMPLATE = {
    **DEFAULT_TEMPLATE,
    "style": "seed",
    "sections": [{**s, "keywords": KEYWORDS.get(s["key"], "")} for s in SEED_STYLE_SECTIONS],
}


def _create(region, data: dict):
    from kechuang.core.bureau import identity
    from kechuang.reports.models import SummarySection, SummaryTemplate

    template, created = SummaryTemplate.objects.get_or_create(
        code=data["code"],
        region=region,
        defaults={k: data[k] for k in ("name", "title", "opening", "closing", "style")}
        | {"signature": identity(region).signature},
    )
    if created:
        for order, section in enumerate(data["sections"], start=1):
            SummarySection.objects.create(template=template, order=order, **section)
    return template


def ensure_seed_template(region):
    """The template serving `region`: its own bureau's, or the nearest bureau's above it; when there is none,
    the bureau gets its own copy of the neutral default (signed by its bureau). Idempotent."""
    from kechuang.core.permissions import ancestor_paths
    from kechuang.reports.models import SummaryTemplate

    found = (
        SummaryTemplate.objects.filter(code=DEFAULT_CODE, region__path__in=ancestor_paths(region.path))
        .order_by("-region__path")
        .first()
    )
    if found is not None:
        return found
    return _create(region, DEFAULT_TEMPLATE)


ensure_template = ensure_seed_template


def ensure_seed_style_template(region):
    """The demo district's own template in the seed reply's style (its headings and lead-ins)."""
    from kechuang.reports.models import SummaryTemplate

    found = SummaryTemplate.objects.filter(code=DEFAULT_CODE, region=region).first()
    return found or _create(region, SEED_STYLE_TEMPLATE)

"""The work-summary template that reproduces the seed reply (000_29c0089bf293241b.txt).

Numbers the platform records are placeholders filled from the figures registry; the rest is the bureau's
own wording, kept as free-text blocks that staff edit in each draft.
"""

from __future__ import annotations


def C(text: str) -> dict:  # noqa: N802 - short constructors keep the template readable
    return {"kind": "computed", "text": text}


def T(text: str) -> dict:  # noqa: N802
    return {"kind": "text", "text": text}


SEED_CODE = "annual-work"

SEED_TEMPLATE = {
    "code": SEED_CODE,
    "name": "年度科技创新工作总结（提案答复正文）",
    "title": "{region}科技局{year}年科技创新工作情况",
    "opening": (
        "今年以来，在区委、区政府的坚强领导和区政协的监督指导下，按照“十二大攻坚行动”的部署要求，"
        "区科技局组建“六个工作专班”，牢固树立平台思维、“有解”思维，把握重点，履职尽责，"
        "全区科技创新能力稳步提升，创新创业活力不断增强。"
    ),
    "closing": "",
    "signature": "周村区科学技术局",
    "sections": [
        {
            "key": "enterprises",
            "heading": "一、加快高新产业发展，培育科技创新的“主力军”。",
            "keywords": "科技创新,企业,高企,高新技术,研发,产业,创新能力,转型",
            "blocks": [
                T(
                    "一是注重高企培育，提升自主创新能力。构建“创新型高成长企业、高新技术企业、科技创新领军企业”"
                    "梯次培育体系，强化企业创新主体地位和主力军作用。"
                ),
                C(
                    "组织{firms_trained|余}家企业参加高企认定政策线上培训，"
                    "组织{programme_applications[hnte-2020/2020年第一批]}家企业进行高企（第一批）认定申报工作，"
                    "现认定公示{programme_publicised[hnte-2020/2020年第一批]}家。"
                ),
                T("积极组织金宇钢构、隆之智等企业进行市级高新技术企业入库工作。"),
                C(
                    "截至目前，我区共有{hnte_count}家高新技术企业，{tech_sme_count}家企业纳入科技部科技型中小企业"
                    "信息库管理，高新技术产业产值占比{hightech_output_share}，比年初提高{hightech_output_share_change}。"
                ),
                T("二是注重研发投入统计，落实科技成果奖励政策。发挥正向激励导向，支持企业持续加大研发投入，"),
                C(
                    "今年统计有研发项目的企业{rd_firm_count}家，研发投入预计{rd_total|亿元}，"
                    "研发占比预计达到{rd_intensity}，高于全市{rd_intensity_city}的平均水平。"
                ),
                T("为科技成果转化创造良好的政策环境，"),
                C(
                    "广晟生物、大染坊等{achievement_firms}家企业的项目分获省级科技成果{achievement_provincial}项，"
                    "市级科技成果{achievement_municipal}项。"
                ),
            ],
        },
        {
            "key": "platforms",
            "heading": "二、提质升级平台建设，搭建科技创新的“强载体”。",
            "keywords": "科技创新,平台,孵化,众创,研发机构,院士,联盟,载体",
            "blocks": [
                T(
                    "加强以企业为主体、市场为导向、产学研合作的平台建设，让平台成为人才和项目的“孵化器”。"
                    "一是构建协同型合作平台。实施“政产学研金服用”协同创新机制，"
                ),
                C(
                    "在新材料、高端装备制造、医养健康、氢能源等产业培育{community_municipal_count}家市级创新创业共同体。"
                ),
                T(
                    "二是组建高层次科技创新平台。组织恒利石油工程技术研究所申报省级新型研发机构。"
                    "推动恒利导热油与乌克兰院士的合作，做好院士工作站的组建工作。"
                ),
                C(
                    "组织方达电子、华安新材料等企业参加大数据、信息技术等{alliance_count}个创新战略联盟，进一步推进形成创新型产业集群。"
                ),
                T(
                    "三是打造高水平孵化平台。构建“众创空间-科技企业孵化器-加速器-科技园区”创新创业生态环境，"
                    "扎实做好国家级众创空间的申报争取工作，今年上半年“方达1977众创空间”获批国家级众创空间备案，"
                    "在我区孵化平台的认定层次上实现了新突破。5月全市科技攻坚行动现场推进会在我区举办，"
                    "对我区在打造高水平孵化体系、培育科技型企业、促进科技成果转化等方面的工作给予肯定。"
                    "完成区人大关于“科技创新平台建设推动重点产业发展”的视察调研与审议。"
                ),
            ],
        },
        {
            "key": "talent",
            "heading": "三、加强人才培育集聚，打造科技创新的“强磁场”。",
            "keywords": "科技创新,人才,专家,引智,英才,创业大赛",
            "blocks": [
                T(
                    "一是实施高层次科技人才培育工程。在市“齐心共创·赢在鲁中”创业大赛中，嘉岳新材料公司的毕文岳"
                    "在创业企业类别中获奖，入选“淄博英才计划”。鲁铭高温的合作专家张梅在创业项目类别中获奖，"
                    "待明年项目落地后入选“淄博英才计划”。毕文岳、张梅、刘敬科被推荐参加省第三届创业大赛。"
                    "二是实施国外智力招引工程。积极做好外国专家引进政策的宣传落实，"
                ),
                C(
                    "广泛征集外国专家需求{foreign_demand_count}项，{foreign_project_pooled}项外国专家项目与"
                    "{foreign_talent_platform_count}家平台入选市国际高端人才项目与引智平台培育库。"
                ),
                T("推荐玉兔公司的日本专家横山勉申报“齐鲁友谊奖”。"),
                C("组织恒利纺织、澳周石油装备申报省引智项目{foreign_project_provincial_applied}项。"),
            ],
        },
        {
            "key": "cooperation",
            "heading": "四、推进校城深度融合，形成科技创新的“项目池”。",
            "keywords": "科技创新,校城,高校,合作,产学研,项目,成果转化,科技计划",
            "blocks": [
                T("一是积极探索“引进来”+“走出去”科技合作交流模式。"),
                C(
                    "立项区首批校城融合发展项目{school_city_projects}项，推动与市内外多所高校院所的产学研合作，"
                    "市外校城融合发展项目立项{school_city_out_of_city}项。"
                ),
                T(
                    "抓住全国科技活动周的重要时间节点，开展创新特色工作。8月28-29日，举办“科技赋能新周村”系列活动，"
                    "包含专家到企业一线考察对接、“科技创新、产业升级”研企交流会、“科技助力企业”一对一科技问诊、"
                    "“政产学研金服用、科技赋能新周村”创新论坛等。"
                ),
                C(
                    "在此次活动中，发放区校城融合项目扶持资金与“周村科技创新券”{vouchers_and_funds_paid}，"
                    "为“周村区科技先锋”颁发奖金与奖杯，首创建立{taishan_studio_count}处“泰山系列人才工作室”。"
                    "活动期间签订各类产学研合作协议{agreement_count}个，成立山东氢能基础产业研究院和周村区科创企业联盟。"
                ),
                C(
                    "邀请中科院各专业研究所、北京航空航天大学、中国石油大学等高校院所{experts_matched}名专家与我区企业"
                    "开展了精准对接，预期将有{expected_transfer_count|余}项科技成果落地转化，"
                ),
                T(
                    "为校企合作搭建平台、汇聚人才，激发企业内生动力，营造科技创新氛围，有力推动了政产学研金服用的"
                    "深度协同发展。二是坚持征集需求与项目策划“两条腿”走路，帮助企业策划实施科技项目。"
                ),
                C("建立科技创新项目储备库，现入库重点项目{reserve_count}个。"),
                T(
                    "抓实省、市、区级科技计划项目的落地实施，进行全方位无例外半年督查，通过“科技计划项目管理系统”"
                    "实现高效、透明管理，确保项目按阶段性目标顺利推进、规范实施。"
                ),
            ],
        },
        {
            "key": "agritech",
            "heading": "五、强化农业科技发展，做好科技扶贫的“助推器”。",
            "keywords": "科技创新,农业,扶贫,特派员,乡村,农科,脱贫",
            "blocks": [
                C(
                    "完善“四级梯度联动”服务机制，加强省级农科驿站的监督管理，实现{key_village_covered}个"
                    "省扶贫工作重点村科技指导人员全覆盖并提供优质服务。"
                ),
                T(
                    "今年结合打赢脱贫攻坚战任务，加大农业科技扶贫力度，在全区召开了“科技助力脱贫攻坚暨科技特派员"
                    "结对帮扶工作现场会”，实行科技特派员与贫困村结对帮扶亮牌服务，通过现场观摩、典型引领、"
                    "技术推介、规范运行，让科技创新在脱贫攻坚战中再次发挥支撑引领作用。"
                ),
            ],
        },
        {
            "key": "next",
            "heading": "",
            "keywords": "",
            "blocks": [
                T(
                    "下一步，周村区科技局将按照区委、区政府“十二大攻坚行动”的部署要求，探索科技创新发展路径，"
                    "聚焦重点工作，瞄准目标任务，着力在培育科技创新型企业、加快科技成果转化、争取实施科技项目、"
                    "强化科技人才支撑、促进校城深度融合上下功夫，通过打造“1+2”赋能政产学研金服用“一体化”创新体制，"
                    "激活多要素联动、多主体协同的创新创业生态圈，以科技创新赋能高质量发展，"
                    "推动周村科技创新工作再上新台阶。"
                ),
            ],
        },
    ],
}


def ensure_seed_template(region):
    """The seed template serving `region`: its own bureau's, or the nearest bureau's above it; created for
    `region` (signed by its bureau) when there is none. Idempotent."""
    from kechuang.core.permissions import ancestor_paths
    from kechuang.reports.models import SummarySection, SummaryTemplate

    found = (
        SummaryTemplate.objects.filter(code=SEED_CODE, region__path__in=ancestor_paths(region.path))
        .order_by("-region__path")
        .first()
    )
    if found is not None:
        return found
    data = SEED_TEMPLATE
    template, created = SummaryTemplate.objects.get_or_create(
        code=data["code"],
        region=region,
        defaults={k: data[k] for k in ("name", "title", "opening", "closing")}
        | {"signature": f"{region.name}科学技术局"},
    )
    if created:
        for order, section in enumerate(data["sections"], start=1):
            SummarySection.objects.create(template=template, order=order, **section)
    return template

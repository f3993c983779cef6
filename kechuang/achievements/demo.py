"""2020 科技成果 of 周村区 (seed: "广晟生物、大染坊等12家企业的项目分获省级科技成果1项，市级科技成果12项"),
with a few from 2019, and the provincial award that came with the provincial achievement."""

from __future__ import annotations

import datetime as dt

from kechuang.achievements import services
from kechuang.core.demo import DemoContext
from kechuang.core.models import Organisation

MUNICIPAL_2020 = [
    ("山东广晟生物科技有限公司", "高活性复合酶制剂发酵工艺及产业化"),
    ("山东大染坊丝绸集团有限公司", "真丝面料数码印花与低耗染整关键技术"),
    ("淄博金宇钢构有限公司", "大跨度钢结构智能焊接变形控制技术"),
    ("山东隆之智信息科技有限公司", "面向中小企业的工业互联网数据采集平台"),
    ("淄博恒利导热油有限公司", "高温合成导热油抗结焦配方研究"),
    ("淄博方达电子有限公司", "高可靠功率器件封装工艺"),
    ("山东华安新材料有限公司", "高性能聚氨酯弹性体材料制备技术"),
    ("淄博嘉岳新材料有限公司", "石墨烯改性导热复合材料"),
    ("淄博鲁铭高温材料科技有限公司", "高温窑炉用轻质耐火材料"),
    ("淄博玉兔纺织有限公司", "功能性混纺纱线生产技术"),
    ("山东澳周石油装备有限公司", "井下智能分层注水工具"),
    ("淄博恒利纺织有限公司", "纺织印染废水膜法回用技术"),
]


def build(ctx: DemoContext) -> None:
    staff = ctx.users.get("staff2") or ctx.system

    def org(name):
        return ctx.orgs.get(name) or Organisation.objects.get(name=name)

    provincial = services.achievement_record(
        actor=staff,
        title="生物发酵法制备功能性寡糖关键技术",
        organisation=org("山东广晟生物科技有限公司"),
        level="provincial",
        year=2020,
        recognised_on=dt.date(2020, 10, 16),
        field_code="2",
        project_name="功能性寡糖绿色制造",
        summary="建立功能性寡糖生物发酵制备技术体系，实现产业化。",
        is_published=True,
    )
    services.award_record(
        actor=staff,
        name="山东省科学技术进步奖",
        organisation=provincial.organisation,
        level="provincial",
        year=2020,
        grade="third",
        achievement=provincial,
        is_published=True,
    )
    for i, (name, title) in enumerate(MUNICIPAL_2020):
        services.achievement_record(
            actor=staff,
            title=title,
            organisation=org(name),
            level="municipal",
            year=2020,
            recognised_on=dt.date(2020, 9 + i % 3, 10 + i),
            project_name=title,
            summary="经市科技局组织评价登记的科技成果。",
            is_published=True,
        )
    for name, title in [
        ("淄博金宇钢构有限公司", "装配式钢结构节点连接技术"),
        ("山东大染坊丝绸集团有限公司", "蚕丝蛋白纤维改性技术"),
    ]:
        services.achievement_record(
            actor=staff, title=title, organisation=org(name), level="municipal", year=2019, is_published=True
        )

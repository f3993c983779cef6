"""The demo district (周村区, 370306): deterministic, realistic, built through the real services.

`kechuang demo` runs the `build(ctx)` function of every installed module whose AppConfig names its demo module
(`demo = "kechuang.<app>.demo"`, see `builders()`), in INSTALLED_APPS order, each once (recorded in DemoLoad). A module added later only adds its own part.
All generated credit codes and ID numbers are synthetic but checksum-valid.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from kechuang.core import rules, services
from kechuang.core.models import DictItem, Organisation, Person, Region

DEMO_PASSWORD = "Kechuang@2026"  # noqa: S105 - documented demo credential, printed by `make run`
DEMO_TODAY = dt.date(2020, 11, 30)  # the as-of date of the seed reply (the demo year is 2020)


@dataclass
class DemoContext:
    rng: random.Random
    district: Region
    towns: list[Region]
    system: object | None = None  # the system administrator's account, once accounts built it
    users: dict[str, object] = field(default_factory=dict)
    orgs: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    plan: object | None = None  # a further district's plan (core.demo_districts.DistrictPlan), else None

    def org_body(self) -> str:
        chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        return "MA" + "".join(self.rng.choice(chars) for _ in range(6))

    def credit_code(self, authority: str = "9", entity: str = "1", division: str = "370306") -> str:
        while True:
            code = rules.make_credit_code(authority, entity, division, self.org_body())
            if not Organisation.objects.filter(credit_code=code).exists():
                return code

    def id_number(self, area: str = "370306", birth: dt.date | None = None, male: bool | None = None) -> str:
        birth = birth or dt.date(
            self.rng.randint(1960, 1995), self.rng.randint(1, 12), self.rng.randint(1, 28)
        )
        seq = self.rng.randint(0, 99) * 10 + (
            self.rng.choice([1, 3, 5, 7, 9])
            if male
            else self.rng.choice([0, 2, 4, 6, 8])
            if male is False
            else self.rng.randint(0, 9)
        )
        first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
        return first17 + rules.id_check_char(first17)

    def phone(self) -> str:
        return f"1{self.rng.choice([35, 38, 39, 55, 58, 77, 86, 89])}{self.rng.randint(0, 99999999):08d}"


# Firms named in the seed reply, with the town they sit in and their industry section.
SEED_FIRMS = [
    ("淄博金宇钢构有限公司", "370306102", "C", "2009-04-16"),
    ("山东隆之智信息科技有限公司", "370306001", "I", "2015-07-08"),
    ("山东广晟生物科技有限公司", "370306100", "C", "2012-03-21"),
    ("山东大染坊丝绸集团有限公司", "370306002", "C", "2001-09-12"),
    ("淄博恒利石油工程技术研究所有限公司", "370306101", "M", "2010-11-02"),
    ("淄博恒利导热油有限公司", "370306101", "C", "2006-05-18"),
    ("淄博方达电子有限公司", "370306003", "C", "2004-08-30"),
    ("山东华安新材料有限公司", "370306102", "C", "2008-12-09"),
    ("淄博嘉岳新材料有限公司", "370306103", "C", "2018-06-14"),
    ("淄博鲁铭高温材料科技有限公司", "370306104", "C", "2016-10-20"),
    ("淄博玉兔纺织有限公司", "370306004", "C", "2003-02-25"),
    ("淄博恒利纺织有限公司", "370306101", "C", "2005-07-11"),
    ("山东澳周石油装备有限公司", "370306005", "C", "2011-01-17"),
    ("淄博方达1977文化创意产业园有限公司", "370306003", "L", "2017-04-06"),
]

INSTITUTIONS = [
    ("山东理工大学", Organisation.Kind.UNIVERSITY, "2", "370300", True),
    ("淄博职业学院", Organisation.Kind.UNIVERSITY, "2", "370300", True),
    ("中国石油大学（华东）", Organisation.Kind.UNIVERSITY, "2", "370200", False),
    ("北京航空航天大学", Organisation.Kind.UNIVERSITY, "2", "110000", False),
    ("中国科学院大连化学物理研究所", Organisation.Kind.INSTITUTE, "2", "210200", False),
    ("中国科学院青岛生物能源与过程研究所", Organisation.Kind.INSTITUTE, "2", "370200", False),
    ("齐鲁工业大学（山东省科学院）", Organisation.Kind.UNIVERSITY, "2", "370100", False),
]

NAME_HEADS = [
    "鲁",
    "齐",
    "丝",
    "周",
    "萌",
    "商",
    "王",
    "银",
    "恒",
    "华",
    "金",
    "瑞",
    "泰",
    "宏",
    "鼎",
    "科",
    "润",
    "博",
    "新",
    "正",
    "聚",
    "德",
    "诚",
    "海",
    "川",
    "源",
    "昌",
    "盛",
    "远",
    "达",
]
NAME_TAILS = ["信", "通", "丰", "邦", "航", "睿", "腾", "威", "嘉", "创", "晟", "泽", "锐", "硕", "凯", "鑫"]
NAME_TRADES = [
    ("新材料科技", "C"),
    ("精密机械", "C"),
    ("电子科技", "C"),
    ("生物科技", "C"),
    ("化工", "C"),
    ("陶瓷", "C"),
    ("耐火材料", "C"),
    ("纺织", "C"),
    ("医疗器械", "C"),
    ("环保科技", "N"),
    ("信息技术", "I"),
    ("软件", "I"),
    ("智能装备", "C"),
    ("新能源", "D"),
    ("检测技术", "M"),
    ("农业科技", "A"),
    ("食品", "C"),
    ("汽车零部件", "C"),
]


def generated_firm_names(
    rng: random.Random, count: int, prefixes: tuple[str, ...] = ("淄博", "山东", "周村")
) -> list[tuple[str, str]]:
    seen = {name for name, *_ in SEED_FIRMS}
    names = []
    while len(names) < count:
        trade, section = rng.choice(NAME_TRADES)
        prefix = rng.choice(prefixes)
        name = f"{prefix}{rng.choice(NAME_HEADS)}{rng.choice(NAME_TAILS)}{trade}有限公司"
        if name not in seen:
            seen.add(name)
            names.append((name, section))
    return names


def build(ctx: DemoContext) -> None:
    industries = {i.code: i for i in DictItem.objects.filter(dict_type__code="industry")}
    towns = {t.code: t for t in ctx.towns}
    system = ctx.system

    for name, town, section, established in SEED_FIRMS:
        ctx.orgs[name] = services.organisation_create(
            actor=system,
            name=name,
            credit_code=ctx.credit_code(),
            kind=Organisation.Kind.ENTERPRISE,
            region=towns[town],
            established_on=dt.date.fromisoformat(established),
            industry=industries[section],
            address=f"淄博市周村区{towns[town].name}",
            legal_representative=_person_name(ctx.rng),
            contact_name=_person_name(ctx.rng),
            contact_phone=ctx.phone(),
        )
    for name, section in generated_firm_names(ctx.rng, 60):
        town = ctx.rng.choice(ctx.towns)
        ctx.orgs[name] = services.organisation_create(
            actor=system,
            name=name,
            credit_code=ctx.credit_code(),
            kind=Organisation.Kind.ENTERPRISE,
            region=town,
            established_on=dt.date(
                ctx.rng.randint(1998, 2020), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28)
            ),
            industry=industries[section],
            address=f"淄博市周村区{town.name}",
            legal_representative=_person_name(ctx.rng),
            contact_name=_person_name(ctx.rng),
            contact_phone=ctx.phone(),
        )
    for name, kind, entity_type, division, in_city in INSTITUTIONS:
        ctx.orgs[name] = services.organisation_create(
            actor=system,
            name=name,
            credit_code=ctx.credit_code(authority="1", entity=entity_type, division=division),
            kind=kind,
            in_city=in_city,
            region=ctx.district.parent if in_city else None,
        )
    ctx.orgs["乌克兰国家科学院"] = services.organisation_create(
        actor=system, name="乌克兰国家科学院物理技术研究所", kind=Organisation.Kind.FOREIGN, in_city=False
    )
    bureau = services.organisation_create(
        actor=system,
        name="淄博市周村区科学技术局",
        credit_code=ctx.credit_code(authority="1", entity="1"),
        kind=Organisation.Kind.GOVERNMENT,
        region=ctx.district,
    )
    ctx.orgs["科技局"] = bureau

    ctx.people["陈立新"] = services.person_create(
        actor=system,
        name="陈立新",
        id_number=ctx.id_number("370303", male=True),
        phone=ctx.phone(),
        organisation=ctx.orgs["山东理工大学"],
        title="教授",
    )
    ctx.people["马春生"] = services.person_create(
        actor=system,
        name="马春生",
        id_number=ctx.id_number("370306", male=True),
        phone=ctx.phone(),
        organisation=ctx.orgs["淄博职业学院"],
        title="高级农艺师",
        region=ctx.district,
    )


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰建国志红海燕春生立新晓梅文博宇浩然"


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def builders() -> list[tuple]:
    """(AppConfig, demo module) of every installed app that declares its demo part (AppConfig `demo`, a
    module with `build(ctx)` and optionally `build_district(ctx)`), in INSTALLED_APPS order."""
    from importlib import import_module

    from django.apps import apps

    return [(c, import_module(c.demo)) for c in apps.get_app_configs() if getattr(c, "demo", "")]


@transaction.atomic
def run(*, stdout=None) -> list[str]:
    """Build every installed module's part of the demo that is not built yet; return what was built."""
    from kechuang.core.models import DemoLoad

    district = Region.objects.get(code="370306")
    ctx = DemoContext(
        rng=random.Random(370306),
        district=district,
        towns=list(Region.objects.filter(parent=district).order_by("code")),
    )
    ctx.system = get_user_model().objects.filter(username="sysadmin").first()
    built = []
    for app_config, module in builders():
        if DemoLoad.objects.filter(app_label=app_config.label).exists():
            continue
        if app_config.label != "core":
            _restore_context(ctx)
        started = time.monotonic()
        module.build(ctx)
        DemoLoad.objects.create(app_label=app_config.label)
        built.append(app_config.label)
        if stdout:
            stdout.write(
                f"  {app_config.verbose_name}：演示数据已生成（{time.monotonic() - started:.1f} 秒）"
            )
    return built


def _restore_context(ctx: DemoContext) -> None:
    """Rebuild the shared context from the database when core's part was built in an earlier run."""
    User = get_user_model()
    ctx.system = ctx.system or User.objects.filter(username="sysadmin").first()
    if not ctx.users:
        ctx.users = {u.username: u for u in User.objects.all()}
    if not ctx.orgs:
        ctx.orgs = {o.name: o for o in Organisation.objects.all()}
    if not ctx.people:
        ctx.people = {p.name: p for p in Person.objects.all()}
    # Each module gets its own deterministic random stream, independent of which ran before.
    ctx.rng = random.Random(370306)

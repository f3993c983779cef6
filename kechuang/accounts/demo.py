"""Accounts' part of the demo district: the bureau's departments and 专班, and one account per role (the
users the README lists, password `DEMO_PASSWORD`). Core's part built the organisations and the people these
accounts belong to; later modules find the accounts in `ctx.users`."""

from __future__ import annotations

from kechuang.accounts import services as account_services
from kechuang.accounts.models import Department, Team
from kechuang.core.demo import DEMO_PASSWORD, DemoContext
from kechuang.core.roles import Role

DEPARTMENTS = ["办公室", "高新技术科", "科技合作与成果转化科", "农村科技科", "人才与外国专家科"]
TEAMS = [
    ("高企培育专班", "高新技术科", "高企认定、科技型中小企业评价、梯次培育"),
    ("研发投入统计专班", "高新技术科", "研发投入统计、高新技术产业产值"),
    ("平台建设专班", "科技合作与成果转化科", "创新平台、孵化载体"),
    ("人才引智专班", "人才与外国专家科", "人才工程、外国专家"),
    ("校城融合专班", "科技合作与成果转化科", "产学研合作、科技活动、创新券"),
    ("项目管理专班", "办公室", "项目储备库、科技计划项目与半年督查"),
]


def build(ctx: DemoContext) -> None:
    system = ctx.system
    departments = {name: Department.objects.create(name=name, region=ctx.district) for name in DEPARTMENTS}
    teams = {
        name: Team.objects.create(name=name, region=ctx.district, department=departments[dept], duty=duty)
        for name, dept, duty in TEAMS
    }

    def user(username, role, display, **kw):
        ctx.users[username] = account_services.user_create(
            actor=system, username=username, password=DEMO_PASSWORD, role=role, display_name=display, **kw
        )
        return ctx.users[username]

    staff = user(
        "staff",
        Role.STAFF,
        "王晓梅",
        region=ctx.district,
        department=departments["高新技术科"],
        email="staff@example.gov.cn",
    )
    staff.teams.add(teams["高企培育专班"], teams["研发投入统计专班"])
    staff2 = user(
        "staff2", Role.STAFF, "李建国", region=ctx.district, department=departments["科技合作与成果转化科"]
    )
    staff2.teams.add(teams["校城融合专班"], teams["平台建设专班"], teams["项目管理专班"])
    user("staff_agri", Role.STAFF, "张丽华", region=ctx.district, department=departments["农村科技科"])
    user("leader", Role.LEADER, "刘志强", region=ctx.district)
    user("city_staff", Role.STAFF, "孙海燕", region=ctx.district.parent)
    user("qiye", Role.ENTERPRISE, "赵明（方达电子）", organisation=ctx.orgs["淄博方达电子有限公司"])
    user("qiye2", Role.ENTERPRISE, "周静（金宇钢构）", organisation=ctx.orgs["淄博金宇钢构有限公司"])
    user("expert", Role.EXPERT, "陈立新", person=ctx.people["陈立新"])
    user("tepaiyuan", Role.COMMISSIONER, "马春生", person=ctx.people["马春生"])
    user("sysadmin", Role.SYSADMIN, "系统管理员")
    user("secadmin", Role.SECADMIN, "安全管理员")
    user("auditor", Role.AUDITADMIN, "审计管理员")
    del staff2


def build_district(ctx: DemoContext) -> None:
    """A further demo district (core.demo_districts): its 高新技术科 and a staff and a leader account
    (`<prefix>_staff`, `<prefix>_leader`)."""
    district = ctx.district
    department = Department.objects.create(name="高新技术科", region=district)
    for suffix, role, display in (("staff", Role.STAFF, "韩雪"), ("leader", Role.LEADER, "邵国栋")):
        account_services.user_create(
            actor=ctx.system,
            username=f"{ctx.plan.prefix}_{suffix}",
            password=DEMO_PASSWORD,
            role=role,
            display_name=f"{display}（{district.name}）",
            region=district,
            department=department if role == Role.STAFF else None,
        )

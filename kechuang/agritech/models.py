"""农业科技: villages' flags, 科技特派员, 结对帮扶 with the public 亮牌 card, service logs and requests,
农科驿站 with supervision, the "四级梯度联动" chain of service providers, evaluation cut-offs."""

import uuid

from django.conf import settings
from django.db import models

from kechuang.core.models import StatusChangeBase


class VillageFlag(models.Model):
    """A flag a village carries in one year (e.g. 省扶贫工作重点村 in 2020) — "key in year Y" is a query."""

    class Flag(models.TextChoices):
        KEY_POVERTY = "key_poverty", "省扶贫工作重点村"
        POVERTY = "poverty", "贫困村"
        DEMONSTRATION = "demonstration", "乡村振兴示范村"

    village = models.ForeignKey("core.Region", models.CASCADE, related_name="agri_flags", verbose_name="村")
    year = models.PositiveSmallIntegerField("年度")
    flag = models.CharField("标识", max_length=20, choices=Flag.choices)
    source = models.CharField("依据文件", max_length=120, blank=True)

    class Meta:
        ordering = ["-year", "village__path"]
        verbose_name = verbose_name_plural = "村庄标识"
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "flag"], name="agri_villageflag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year} {self.get_flag_display()}"


class Commissioner(models.Model):
    """A 科技特派员: an individual, a team (with members) or a legal entity."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "个人"
        TEAM = "team", "团队"
        ENTITY = "entity", "法人"

    class Source(models.TextChoices):
        UNIVERSITY = "university", "高等院校"
        INSTITUTE = "institute", "科研院所"
        ENTERPRISE = "enterprise", "企业"
        EXTENSION = "extension", "农技推广机构"

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"
        DISTRICT = "district", "区级"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = models.CharField("名称", max_length=80, help_text="个人为姓名，团队为团队名称，法人为单位名称")
    person = models.ForeignKey(
        "core.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commissioner_roles",
        verbose_name="本人/负责人/联系人",
    )
    members = models.ManyToManyField(
        "core.Person", blank=True, related_name="commissioner_teams", verbose_name="团队成员"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commissioners",
        verbose_name="法人单位/派出单位",
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    level = models.CharField("级别", max_length=12, choices=Level.choices, default=Level.DISTRICT)
    expertise = models.CharField("专业领域", max_length=200, help_text="多个领域用顿号或逗号分隔")
    term_start = models.DateField("选派期起")
    term_end = models.DateField("选派期止")
    region = models.ForeignKey(
        "core.Region", models.PROTECT, related_name="+", verbose_name="管理区划", help_text="负责管理的区县"
    )
    photo = models.ForeignKey(
        "core.Attachment", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="照片"
    )
    # The number the commissioner chose to publish on the 亮牌卡 (a work phone, say); without it the card shows
    # the registered mobile masked.
    service_phone = models.CharField("公开服务电话", max_length=20, blank=True)
    is_active = models.BooleanField("有效", default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = verbose_name_plural = "科技特派员"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")), name="agri_comm_term"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def expertise_list(self) -> list[str]:
        return [
            p.strip() for p in self.expertise.replace("，", "、").replace(",", "、").split("、") if p.strip()
        ]


class Pairing(models.Model):
    """结对帮扶: a commissioner and a village, co-operative or firm, agreed by two-way choice."""

    class TargetKind(models.TextChoices):
        VILLAGE = "village", "村"
        COOPERATIVE = "cooperative", "合作社"
        ENTERPRISE = "enterprise", "农业企业"

    class Side(models.TextChoices):
        COMMISSIONER = "commissioner", "特派员"
        SERVED = "served", "服务对象"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待对方确认"
        ACTIVE = "active", "帮扶中"
        REJECTED = "rejected", "已谢绝"
        ENDED = "ended", "已到期结束"
        TERMINATED = "terminated", "已终止"

    commissioner = models.ForeignKey(
        Commissioner, models.PROTECT, related_name="pairings", verbose_name="特派员"
    )
    target_kind = models.CharField("服务对象类型", max_length=12, choices=TargetKind.choices)
    village = models.ForeignKey(
        "core.Region", models.PROTECT, null=True, blank=True, related_name="agri_pairings", verbose_name="村"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agri_pairings",
        verbose_name="合作社/企业",
    )
    region = models.ForeignKey(
        "core.Region",
        models.PROTECT,
        related_name="+",
        verbose_name="所在区划",
        help_text="服务对象所在的村或乡镇",
    )
    proposed_by = models.CharField("发起方", max_length=12, choices=Side.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PROPOSED)
    field = models.CharField("服务领域", max_length=80)
    tasks = models.TextField("服务任务")
    targets = models.TextField("服务目标")
    term_start = models.DateField("服务期起")
    term_end = models.DateField("服务期止")
    accepted_on = models.DateField("确认日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    card_published = models.BooleanField("亮牌公开", default=False)
    card_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-term_start", "pk"]
        verbose_name = verbose_name_plural = "结对帮扶"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")), name="agri_pair_term"
            ),
            models.CheckConstraint(
                condition=(models.Q(target_kind="village", village__isnull=False, organisation__isnull=True))
                | (
                    ~models.Q(target_kind="village")
                    & models.Q(village__isnull=True, organisation__isnull=False)
                ),
                name="agri_pair_target",
            ),
        ]
        indexes = [models.Index(fields=["status", "term_start", "term_end"], name="agri_pair_active")]

    def __str__(self) -> str:
        return f"{self.commissioner} — {self.target_name}"

    @property
    def target_name(self) -> str:
        return str(self.village) if self.village_id else str(self.organisation)


class PairingStatusChange(StatusChangeBase):
    pairing = models.ForeignKey(Pairing, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Pairing.Status.choices)
    to_status = models.CharField(max_length=12, choices=Pairing.Status.choices)

    class Meta(StatusChangeBase.Meta):
        verbose_name = verbose_name_plural = "结对状态变更"

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class GuidanceAssignment(models.Model):
    """A 科技指导人员 assigned to a village (besides commissioners' pairings), counted by coverage."""

    village = models.ForeignKey("core.Region", models.PROTECT, related_name="agri_guides", verbose_name="村")
    person = models.ForeignKey("core.Person", models.PROTECT, related_name="+", verbose_name="指导人员")
    start = models.DateField("起")
    end = models.DateField("止")

    class Meta:
        ordering = ["village__path", "-start"]
        verbose_name = verbose_name_plural = "科技指导人员"
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="agri_guide_term"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.person}"


class ServiceLog(models.Model):
    """A day of service filed by the commissioner; the served party rates it afterwards."""

    pairing = models.ForeignKey(Pairing, models.PROTECT, related_name="logs", verbose_name="结对")
    date = models.DateField("服务日期")
    place = models.CharField("地点", max_length=120)
    content = models.TextField("服务内容")
    people_trained = models.PositiveIntegerField("培训人数", default=0)
    technologies = models.CharField("引进推广技术", max_length=200, blank=True)
    photos = models.ManyToManyField("core.Attachment", blank=True, related_name="+", verbose_name="照片")
    rating = models.PositiveSmallIntegerField("服务对象评价（1—5分）", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    # The served village or firm confirms on a phone through a signed link (no account): when and who said so.
    confirmed_at = models.DateTimeField("服务对象确认时间", null=True, blank=True)
    confirmed_name = models.CharField("确认人", max_length=40, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = verbose_name_plural = "服务日志"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="agri_log_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.place}"


class ServiceProvider(models.Model):
    """One node of the "四级梯度联动" chain: province → city → district → town/station."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "省级"
        CITY = 2, "市级"
        DISTRICT = 3, "区级"
        TOWN = 4, "镇（驿站）级"

    name = models.CharField("名称", max_length=80)
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="服务区域")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="依托单位"
    )
    station = models.ForeignKey(
        "Station", models.SET_NULL, null=True, blank=True, related_name="providers", verbose_name="农科驿站"
    )
    commissioners = models.ManyToManyField(Commissioner, blank=True, related_name="providers")

    class Meta:
        ordering = ["level", "region__path"]
        verbose_name = verbose_name_plural = "四级梯度服务主体"

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.name}"


class ServiceRequest(models.Model):
    """A farmer's or village's request, answered by a commissioner or escalated up the chain."""

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"

    requester = models.CharField("提出人", max_length=60)
    village = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="所在村")
    subject = models.CharField("问题", max_length=120)
    detail = models.TextField("具体情况")
    provider = models.ForeignKey(
        ServiceProvider, models.PROTECT, related_name="requests", verbose_name="当前承办"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    answered_by = models.ForeignKey(
        Commissioner,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_requests",
        verbose_name="答复人",
    )
    answer = models.TextField("答复", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "服务需求"

    def __str__(self) -> str:
        return self.subject


class RequestEscalation(models.Model):
    request = models.ForeignKey(ServiceRequest, models.CASCADE, related_name="escalations")
    from_provider = models.ForeignKey(ServiceProvider, models.PROTECT, related_name="+")
    to_provider = models.ForeignKey(ServiceProvider, models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "需求上转记录"

    def __str__(self) -> str:
        return f"{self.from_provider} → {self.to_provider}"


class Station(models.Model):
    """农科驿站: recognised at a level, run by an operator organisation, located in a town."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"
        DISTRICT = "district", "区级"

    class Status(models.TextChoices):
        PLANNED = "planned", "筹建"
        OPERATING = "operating", "运行"
        RECTIFYING = "rectifying", "整改中"
        CLOSED = "closed", "撤销"

    name = models.CharField("名称", max_length=80)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    operator = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="+", verbose_name="运营单位"
    )
    town = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="所在镇街")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPERATING)
    established_on = models.DateField("建站日期", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "农科驿站"

    def __str__(self) -> str:
        return self.name


class SupervisionVisit(models.Model):
    station = models.ForeignKey(Station, models.PROTECT, related_name="visits", verbose_name="驿站")
    date = models.DateField("检查日期")
    inspector = models.CharField("检查人", max_length=60)
    findings = models.TextField("发现问题")
    rectification = models.TextField("整改要求", blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = verbose_name_plural = "驿站监督检查"

    def __str__(self) -> str:
        return f"{self.station} {self.date}"


class EvaluationCutoffs(models.Model):
    """Grade cut-offs for one year and region (DOMAIN.md §8: local, configurable)."""

    region = models.ForeignKey("core.Region", models.PROTECT, related_name="+", verbose_name="区划")
    year = models.PositiveSmallIntegerField("年度")
    excellent_days = models.PositiveSmallIntegerField("优秀：服务天数不少于", default=30)
    excellent_rating = models.DecimalField(
        "优秀：平均评价不低于", max_digits=3, decimal_places=2, default=4.5
    )
    pass_days = models.PositiveSmallIntegerField("合格：服务天数不少于", default=15)
    pass_rating = models.DecimalField("合格：平均评价不低于", max_digits=3, decimal_places=2, default=3.0)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "特派员考核等次标准"
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="agri_cutoffs_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"

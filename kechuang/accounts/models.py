import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from kechuang.accounts.roles import BUREAU_ROLES, Role


class Department(models.Model):
    """A 科室 of the bureau (or of a city bureau in a multi-district deployment)."""

    name = models.CharField("科室名称", max_length=60)
    region = models.ForeignKey(
        "core.Region", models.PROTECT, related_name="departments", verbose_name="所属区划"
    )

    class Meta:
        ordering = ["region", "name"]
        verbose_name = verbose_name_plural = "科室"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A 工作专班 (working team); work items of any module can be assigned to a team."""

    name = models.CharField("专班名称", max_length=60)
    region = models.ForeignKey("core.Region", models.PROTECT, related_name="teams", verbose_name="所属区划")
    department = models.ForeignKey(Department, models.SET_NULL, null=True, blank=True, related_name="teams")
    duty = models.TextField("职责", blank=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = verbose_name_plural = "工作专班"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """One account, one role (三员分立 is structural: see docs/adr/0002)."""

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    display_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("手机", max_length=20, blank=True)
    region = models.ForeignKey(
        "core.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="数据范围（区划）",
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属单位",
    )
    person = models.ForeignKey(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="对应人员",
    )
    department = models.ForeignKey(Department, models.SET_NULL, null=True, blank=True, related_name="members")
    teams = models.ManyToManyField(Team, blank=True, related_name="members", verbose_name="工作专班")
    password_changed_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=[Role.STAFF, Role.LEADER]) | models.Q(region__isnull=False),
                name="bureau_user_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.ENTERPRISE) | models.Q(organisation__isnull=False),
                name="enterprise_user_has_organisation",
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_bureau(self) -> bool:
        return self.role in BUREAU_ROLES

    @property
    def label(self) -> str:
        return f"{self.display_name or self.username}（{self.get_role_display()}）"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the secret is shown once at creation."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "kc_" + secrets.token_urlsafe(32)

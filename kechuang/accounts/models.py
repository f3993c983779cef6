import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from kechuang.core.roles import Role


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
    def label(self) -> str:
        return f"{self.display_name or self.username}（{self.get_role_display()}）"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the secret is shown once at creation. It works
    until `expires_at` (at most `API_TOKEN_MAX_DAYS` after issue) or until its owner or the security
    administrator revokes it."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
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


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords, so the 等保 profile can refuse reuse of the last N."""

    user = models.ForeignKey(User, models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "历史密码"

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class LoginLog(models.Model):
    """Every login attempt (success or failure), with IP, user agent and the reason for a failure."""

    class Reason(models.TextChoices):
        OK = "ok", "登录成功"
        BAD_CREDENTIALS = "bad_credentials", "用户名或密码错误"
        LOCKED = "locked", "账户锁定中"
        IP_THROTTLED = "ip_throttled", "来源 IP 尝试过于频繁"
        BAD_TOTP = "bad_totp", "动态口令错误"
        LOCKED_NOW = "locked_now", "连续失败，账户已锁定"
        SSO_REFUSED = "sso_refused", "统一身份认证：无可登录的账户"
        LOCAL_OFF = "local_off", "本地登录未开放（须统一身份认证）"

    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    username = models.CharField("用户名", max_length=150, db_index=True)
    user = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="login_logs")
    success = models.BooleanField("成功")
    reason = models.CharField("原因", max_length=20, choices=Reason.choices)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "登录日志"
        indexes = [models.Index(fields=["ip", "occurred_at"], name="loginlog_ip_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.get_reason_display()}"


class LoginLock(models.Model):
    """Consecutive failures and the temporary lock of one account (never permanent: the lock expires)."""

    user = models.OneToOneField(User, models.CASCADE, primary_key=True, related_name="login_lock")
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "账户锁定"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.locked_until or '未锁定'}"


class UserSession(models.Model):
    """Session key ↔ user, so revoking a user's sessions is an indexed delete, not a scan of all sessions."""

    session_key = models.CharField(max_length=40, primary_key=True)
    user = models.ForeignKey(User, models.CASCADE, related_name="sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录会话"

    def __str__(self) -> str:
        return f"{self.user_id}"


class TotpDevice(models.Model):
    """A user's TOTP secret (RFC 6238) and the hashes of the unused recovery codes."""

    user = models.OneToOneField(User, models.CASCADE, primary_key=True, related_name="totp")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)  # a code is accepted once (no replay)
    recovery_hashes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "动态口令"

    def __str__(self) -> str:
        return f"{self.user_id}: {'已绑定' if self.confirmed_at else '未绑定'}"


class SecurityPolicy(models.Model):
    """The security administrator's settings (a single row); defaults come from the settings file."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    lockout_threshold = models.PositiveSmallIntegerField(
        "连续失败锁定次数", default=5, validators=[MinValueValidator(3), MaxValueValidator(10)]
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        "锁定时长（分钟）", default=5, validators=[MinValueValidator(5), MaxValueValidator(1440)]
    )
    ip_max_failures = models.PositiveSmallIntegerField(
        "同一 IP 失败上限", default=20, validators=[MinValueValidator(5), MaxValueValidator(1000)]
    )
    ip_window_minutes = models.PositiveSmallIntegerField(
        "IP 统计窗口（分钟）", default=10, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    totp_for_staff = models.BooleanField("科室工作人员须使用动态口令", default=False)
    session_absolute_hours = models.PositiveSmallIntegerField(
        "会话最长时长（小时）", default=12, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "安全策略"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="securitypolicy_singleton")]

    def __str__(self) -> str:
        return "安全策略"

    @classmethod
    def current(cls) -> "SecurityPolicy":
        from django.conf import settings

        defaults = {
            "totp_for_staff": getattr(settings, "KECHUANG_TOTP_FOR_STAFF", False),
            "session_absolute_hours": getattr(settings, "SESSION_ABSOLUTE_HOURS", 12),
        }
        policy, _ = cls.objects.get_or_create(pk=1, defaults=defaults)
        return policy

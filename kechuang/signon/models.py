from django.db import models


class Identity(models.Model):
    """An identity the unified sign-on service asserts, and the Kechuang account it stands for.

    * A firm: its 统一社会信用代码 (`key`) and the provider's user id (`provider`, `subject`): one account per
      person acting for the firm, linked to the organisation with that code when first seen. The pair is the
      key, so a person whose claim later names another firm gets another account: an account never moves.
    * An official: the staff number (`key`) the system administrator recorded on the account; any provider,
      no subject. An unknown staff number gets no account (role and scope are granted in Kechuang only).
    """

    class Kind(models.TextChoices):
        FIRM = "firm", "企业（统一社会信用代码）"
        OFFICIAL = "official", "工作人员（工号）"

    class Provider(models.TextChoices):
        ANY = "", "任一方式"
        OIDC = "oidc", "OpenID Connect"
        CAS = "cas", "CAS"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    key = models.CharField("统一社会信用代码 / 工号", max_length=32)
    provider = models.CharField("认证方式", max_length=10, choices=Provider.choices, blank=True)
    subject = models.CharField("认证方用户标识", max_length=255, blank=True)
    user = models.ForeignKey("accounts.User", models.CASCADE, related_name="identities", verbose_name="账户")
    created_at = models.DateTimeField("关联时间", auto_now_add=True)
    last_login_at = models.DateTimeField("最近登录", null=True, blank=True)

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = verbose_name_plural = "统一身份认证关联"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "provider", "subject"], name="identity_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(kind="official"), name="identity_one_staff_number"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="official") | (models.Q(provider="") & models.Q(subject="")),
                name="identity_official_any_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

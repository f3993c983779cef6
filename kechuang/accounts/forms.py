from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        # One answer whether the user exists or not, so the form cannot be used to find accounts.
        "invalid_login": _("用户名或密码错误。连续失败多次后账户将暂时锁定，请稍后再试。"),
        "inactive": _("用户名或密码错误。连续失败多次后账户将暂时锁定，请稍后再试。"),
    }
    username = forms.CharField(
        label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        """IP throttling and the account lock come before the password check; every refusal, whatever
        its reason (unknown user, wrong password, locked, throttled, disabled), gets the same answer."""
        from django.core.exceptions import ValidationError

        from kechuang.accounts import services

        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = services.login_authenticate(
                    request=self.request, username=username, password=password
                )
            except services.LoginRefused:
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login") from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        """Where unified sign-on replaces local accounts, the password form is for the three administrators."""
        from django.conf import settings
        from django.core.exceptions import ValidationError

        from kechuang.accounts import permissions, services
        from kechuang.accounts.models import LoginLog

        super().confirm_login_allowed(user)
        if not permissions.may_log_in_locally(user, settings.KECHUANG_LOGIN_METHODS):
            services.record_login(
                user=user, username=user.get_username(), success=False, reason=LoginLog.Reason.LOCAL_OFF
            )
            raise ValidationError(
                _("本平台已启用统一身份认证：请点击上方按钮登录。本地账号仅供三员管理员使用。")
            )


class KcPasswordChangeForm(PasswordChangeForm):
    pass


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令或恢复码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SecurityPolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        from kechuang.accounts.models import SecurityPolicy

        model = SecurityPolicy
        fields = [
            "lockout_threshold",
            "lockout_minutes",
            "ip_max_failures",
            "ip_window_minutes",
            "totp_for_staff",
            "session_absolute_hours",
        ]


def _assignable_roles():
    from kechuang.accounts.permissions import SYSADMIN_ASSIGNABLE_ROLES
    from kechuang.core.roles import Role

    return [(value, label) for value, label in Role.choices if value in SYSADMIN_ASSIGNABLE_ROLES]


class UserScopeForm(forms.Form):
    """Role and data scope, as the system administrator assigns them."""

    display_name = forms.CharField(label=_("姓名"), max_length=40)
    role = forms.ChoiceField(label=_("角色"), choices=_assignable_roles)
    region = forms.ModelChoiceField(label=_("数据范围（区划）"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("所属单位（企业用户）"), queryset=None, required=False)
    expert = forms.ModelChoiceField(
        label=_("对应评审专家（专家账户）"),
        queryset=None,
        required=False,
        help_text=_("专家账户须关联专家库中的专家，才能收到抽取通知、确认任务和评分。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.apps import apps

        from kechuang.core.models import Organisation, Region

        self.fields["region"].queryset = Region.objects.filter(level__lte=3).order_by("path")
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].widget.attrs["class"] = "form-select"
        expert = apps.get_model("programmes", "Expert")
        self.fields["expert"].queryset = expert.objects.select_related("person", "employer").order_by(
            "person__name"
        )
        self.fields["expert"].label_from_instance = lambda e: f"{e.person.name}（{e.employer or '无单位'}）"
        self.fields["expert"].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        from kechuang.core.roles import Role

        if data.get("expert") is not None and data.get("role") != Role.EXPERT:
            self.add_error("expert", _("只有评审专家角色的账户可以关联专家。"))
        return data

    @property
    def person(self):
        """The person the account stands for (the linked expert's), or None."""
        expert = self.cleaned_data.get("expert")
        return expert.person if expert is not None else None


class UserCreateForm(UserScopeForm):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 _.@+-。")},
    )
    password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("用户首次登录后须修改密码。"),
    )
    field_order = ["username", "display_name", "role", "region", "organisation", "expert", "password"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=60, help_text=_("例如：统计报送对接系统"))
    days = forms.IntegerField(label=_("有效期（天）"), min_value=1)
    code = forms.CharField(
        label=_("动态口令"),
        max_length=20,
        required=False,
        help_text=_("已绑定动态口令的账户须输入手机上当前的动态口令。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, max_days: int, needs_code: bool, **kwargs):
        kwargs.setdefault("initial", {"days": max_days})
        super().__init__(*args, **kwargs)
        from django.core.validators import MaxValueValidator

        self.fields["days"].validators.append(MaxValueValidator(max_days))
        self.fields["days"].widget.attrs["max"] = max_days
        if needs_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

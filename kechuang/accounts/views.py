import time

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from kechuang.accounts import permissions, services
from kechuang.accounts.forms import (
    ApiTokenForm,
    KcPasswordChangeForm,
    LoginForm,
    SecurityPolicyForm,
    TotpForm,
    UserCreateForm,
    UserScopeForm,
)
from kechuang.accounts.models import LoginLog, SecurityPolicy, TotpDevice, User
from kechuang.core.permissions import get_object_or_404_for
from kechuang.core.tables import Column, build_table

PENDING = "kc_2fa_pending"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from kechuang.signon import selectors as signon

        context = super().get_context_data(**kwargs)
        context.update(methods=signon.external_methods(), local_for_all=signon.enabled("local"))
        return context

    def form_valid(self, form):
        user = form.get_user()
        if not permissions.totp_required(user):
            return super().form_valid(form)
        # Password accepted; the login completes only after the second factor.
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "uid": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("accounts:totp")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    return User.objects.filter(pk=pending["uid"], is_active=True).first(), pending


def totp_step(request):
    """Second login step: enrol (first time, QR code) or verify a code / recovery code."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, "请先输入用户名和密码。")
        return redirect("accounts:login")
    device = TotpDevice.objects.filter(user=user).first()
    enrolled = bool(device and device.confirmed_at)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if services.is_locked(user):
            services.record_login(
                user=user, username=user.username, success=False, reason=LoginLog.Reason.LOCKED
            )
            form.add_error("code", "动态口令错误或尝试过于频繁，请稍后再试。")
        elif enrolled and services.totp_verify(user=user, code=code):
            return _complete_login(request, user, pending)
        elif not enrolled:
            try:
                codes = services.totp_confirm(actor=user, user=user, code=code)
            except ValidationError as exc:
                form.add_error("code", exc)
            else:
                response = _complete_login(request, user, pending)
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": response.url})
        else:
            services.register_failure(user=user, username=user.username, reason=LoginLog.Reason.BAD_TOTP)
            form.add_error("code", "动态口令错误或尝试过于频繁，请稍后再试。")
    context = {"form": form, "enrolled": enrolled}
    if not enrolled:
        device = (
            services.totp_begin_enrolment(user=user) if device is None or request.method == "GET" else device
        )
        import segno

        uri = services.totp_uri(device)
        context.update(qr=segno.make(uri, error="m").svg_data_uri(scale=4), secret=device.secret)
    return render(request, "accounts/totp.html", context)


def _complete_login(request, user, pending):
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=pending["backend"])
    target = pending.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target)


def logout_view(request):
    if request.method == "POST":
        from django.contrib.auth import logout

        if request.user.is_authenticated:
            services.record_logout(actor=request.user)
        logout(request)
        messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def profile(request):
    form = KcPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)  # rotates the key: track the new one
            services.track_session(request, request.user)
            messages.success(request, "密码已修改，其他设备上的登录已全部退出。")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def api_tokens(request):
    """Personal API tokens: issue one (the secret is shown once), see and revoke one's own. The security
    administrator sees every account's tokens here and may revoke any of them."""
    from django.conf import settings
    from django.utils import timezone

    needs_code = (
        permissions.totp_required(request.user)
        or TotpDevice.objects.filter(user=request.user, confirmed_at__isnull=False).exists()
    )
    form = ApiTokenForm(request.POST or None, max_days=settings.API_TOKEN_MAX_DAYS, needs_code=needs_code)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                totp_code=form.cleaned_data.get("code"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"令牌“{token.name}”已生成，有效期至 {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}。",
            )
            form = ApiTokenForm(max_days=settings.API_TOKEN_MAX_DAYS, needs_code=needs_code)
    tokens = (
        permissions.api_tokens.queryset(request.user)
        .select_related("user")
        .order_by("revoked_at", "-created_at")[:200]
    )
    context = {
        "form": form,
        "secret": secret,
        "tokens": tokens,
        "now": timezone.now(),
        "all_accounts": permissions.may_oversee_api_tokens(request.user),
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
def api_token_revoke(request, pk):
    if request.method != "POST":
        return redirect("accounts:api_tokens")
    token = get_object_or_404_for(permissions.api_tokens, request.user, "revoke", pk=pk)
    if services.api_token_revoke(actor=request.user, token=token):
        messages.success(request, f"令牌“{token.name}”已吊销，立即失效。")
    else:
        messages.info(request, f"令牌“{token.name}”此前已吊销。")
    return redirect("accounts:api_tokens")


LOG_COLUMNS = [
    Column("occurred_at", "时间", "occurred_at"),
    Column("username", "用户名", "username"),
    Column("success", "结果", "success"),
    Column("reason", "原因", "reason"),
    Column("ip", "IP", "ip"),
    Column("user_agent", "浏览器", None),
]


@login_required
def login_log(request):
    if not permissions.login_logs.may(request.user, "view"):
        raise PermissionDenied
    qs = permissions.login_logs.queryset(request.user)
    if request.GET.get("q"):
        qs = qs.filter(username__icontains=request.GET["q"][:150])
    if request.GET.get("failed"):
        qs = qs.filter(success=False)
    table = build_table(request, qs, LOG_COLUMNS, default_sort="-occurred_at")
    return render(request, "accounts/login_log.html", {"table": table})


@login_required
def security_settings(request):
    if not permissions.security_policy.may(request.user, "change"):
        raise PermissionDenied
    policy = SecurityPolicy.current()
    form = SecurityPolicyForm(request.POST or None, instance=policy, initial={"version": policy.version})
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.security_policy_update(
                actor=request.user, expected_version=form.cleaned_data["version"], **values
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "安全策略已保存。")
            return redirect("accounts:security_settings")
    return render(request, "accounts/security_settings.html", {"form": form})


USER_COLUMNS = [
    Column("username", "用户名", "username"),
    Column("display_name", "姓名", "display_name"),
    Column("role", "角色", "role"),
    Column("scope", "数据范围", None),
    Column("is_active", "状态", "is_active"),
]


@login_required
def user_list(request):
    if not permissions.users.may(request.user, "view"):
        raise PermissionDenied
    qs = permissions.users.queryset(request.user).select_related("region", "organisation")
    if request.GET.get("q"):
        qs = qs.filter(username__icontains=request.GET["q"][:150])
    table = build_table(request, qs, USER_COLUMNS, default_sort="username")
    may_create = permissions.users.allows_create(request.user)
    return render(request, "accounts/user_list.html", {"table": table, "may_create": may_create})


@login_required
def user_create(request):
    if not permissions.users.allows_create(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                role=data["role"],
                display_name=data["display_name"],
                region=data["region"],
                organisation=data["organisation"],
                person=form.person,
                must_change_password=True,
            )
        except (ValidationError, PermissionError) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, f"已创建账户 {user.username}，首次登录须修改密码。")
            return redirect("accounts:user_edit", user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建账户"})


@login_required
def user_edit(request, pk):
    """An account: its role and scope (the system administrator, ordinary accounts) and its state."""
    target = get_object_or_404_for(permissions.users, request.user, "view", pk=pk)
    may = {
        a: permissions.users.allows(request.user, a, target) for a in ("change", "set_active", "reset_totp")
    }
    initial = {
        "display_name": target.display_name,
        "role": target.role,
        "region": target.region_id,
        "organisation": target.organisation_id,
        "expert": _expert_of(target),
        "version": target.version,
    }
    form = UserScopeForm(request.POST or None, initial=initial) if may["change"] else None
    if request.method == "POST":
        if form is None:
            raise Http404("对象不存在或无权访问。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_update_scope(
                    actor=request.user,
                    user=target,
                    expected_version=data["version"] or 0,
                    display_name=data["display_name"],
                    role=data["role"],
                    region=data["region"],
                    organisation=data["organisation"],
                    person=form.person,
                )
            except (ValidationError, PermissionError) as exc:
                form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, "账户角色与数据范围已保存。")
                return redirect("accounts:user_edit", target.pk)
    context = {"form": form, "target": target, "title": target.label, "may": may}
    return render(request, "accounts/user_form.html", context)


def _expert_of(user):
    """The pk of the expert an account is linked to (through its person), or None."""
    from django.apps import apps

    if user.person_id is None:
        return None
    expert = apps.get_model("programmes", "Expert")
    return expert.objects.filter(person_id=user.person_id).values_list("pk", flat=True).first()


ACCOUNT_ACTIONS = {"disable": "set_active", "enable": "set_active", "reset_totp": "reset_totp"}


@login_required
def user_action(request, pk, action):
    """POST-only: disable/enable an account or reset its TOTP device (404 where the policy refuses)."""
    if action not in ACCOUNT_ACTIONS:
        raise Http404("操作不存在。")
    target = get_object_or_404_for(permissions.users, request.user, ACCOUNT_ACTIONS[action], pk=pk)
    if request.method != "POST":
        return redirect("accounts:user_edit", target.pk)
    try:
        if action == "reset_totp":
            services.totp_reset(actor=request.user, user=target)
        else:
            services.user_set_active(actor=request.user, user=target, active=action == "enable")
    except PermissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "操作已完成。")
    return redirect("accounts:user_edit", target.pk)

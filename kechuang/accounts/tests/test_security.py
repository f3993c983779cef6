import datetime as dt

import pyotp
import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts import permissions, services
from kechuang.accounts.models import LoginLock, LoginLog, SecurityPolicy, TotpDevice, User, UserSession
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "accounts:login"


def _login(client, username, password=TEST_PASSWORD, ip="10.0.0.1"):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- password policy --------------------------------------------------------------------------------
def test_dengbao_profile_refuses_the_last_five_passwords(staff):
    passwords = ["Aa1!first", "Aa1!second", "Aa1!third", "Aa1!fourth", "Aa1!fifth"]
    for pw in passwords:
        services.user_set_password(actor=staff, user=staff, password=pw)
    for old in passwords:  # the current one and the previous four
        with pytest.raises(ValidationError, match="最近 5 次"):
            services.user_set_password(actor=staff, user=staff, password=old)
    services.user_set_password(actor=staff, user=staff, password="Aa1!sixth")
    services.user_set_password(actor=staff, user=staff, password=passwords[0])  # six ago: allowed again


def test_common_password_is_rejected(staff):
    with pytest.raises(ValidationError):
        services.user_set_password(actor=staff, user=staff, password="Password1!")  # noqa: S106 - a weak sample


def test_expired_password_forces_a_change_before_anything_else(client, staff):
    staff.password_changed_at = timezone.now() - dt.timedelta(days=91)
    staff.save()
    client.force_login(staff)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_changed_89_days_ago_is_still_valid(client, staff):
    staff.password_changed_at = timezone.now() - dt.timedelta(days=89)
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("core:home")).status_code == 200


def test_new_account_must_change_its_initial_password(client, district):
    admin = UserFactory(sysadmin=True)
    user = services.user_create(
        actor=admin,
        username="newbie",
        password="Init@Pass2026",
        role=Role.STAFF,
        region=district,
        must_change_password=True,
    )
    client.force_login(user)
    assert client.get(reverse("core:home"))["Location"] == reverse("accounts:profile")


def test_asvs_profile_has_no_composition_rule(settings, staff):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]
    settings.PASSWORD_MAX_AGE_DAYS = 0
    services.user_set_password(actor=staff, user=staff, password="correct horse battery")
    staff.password_changed_at = timezone.now() - dt.timedelta(days=900)
    assert not services.password_expired(staff)


# --- lockout, throttling, login log ---------------------------------------------------------------------
def test_five_failures_lock_the_account_even_against_the_right_password(client, staff):
    for _ in range(5):
        _login(client, staff.username, "wrong")
    response = _login(client, staff.username)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert LoginLog.objects.filter(username=staff.username, reason=LoginLog.Reason.LOCKED).exists()


def test_lock_expires_so_a_victim_is_never_locked_out_for_good(client, staff):
    for _ in range(5):
        _login(client, staff.username, "wrong")
    LoginLock.objects.filter(user=staff).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert _login(client, staff.username).status_code == 302


def test_lock_lasts_at_least_five_minutes(client, staff):
    for _ in range(5):
        _login(client, staff.username, "wrong")
    lock = LoginLock.objects.get(user=staff)
    assert lock.locked_until - timezone.now() > dt.timedelta(minutes=4, seconds=55)


def test_success_resets_the_failure_count(client, staff):
    for _ in range(4):
        _login(client, staff.username, "wrong")
    assert _login(client, staff.username).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        _login(client, staff.username, "wrong")
    assert _login(client, staff.username).status_code == 302


def test_locked_account_and_unknown_user_get_the_same_answer(client, staff):
    for _ in range(5):
        _login(client, staff.username, "wrong")
    locked = _login(client, staff.username)
    unknown = _login(client, "nobody-here", "whatever")
    assert locked.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_one_ip_is_throttled_after_many_failures_across_usernames(client, staff):
    for n in range(20):
        _login(client, f"guess{n}", "wrong", ip="203.0.113.9")
    assert _login(client, staff.username, ip="203.0.113.9").status_code == 200
    assert LoginLog.objects.filter(reason=LoginLog.Reason.IP_THROTTLED).exists()
    assert _login(client, staff.username, ip="198.51.100.1").status_code == 302  # other IPs unaffected


def test_ip_throttle_is_a_sliding_window(client, staff):
    for n in range(20):
        _login(client, f"guess{n}", "wrong", ip="203.0.113.9")
    LoginLog.objects.update(occurred_at=timezone.now() - dt.timedelta(minutes=11))
    assert _login(client, staff.username, ip="203.0.113.9").status_code == 302


def test_login_log_records_ip_user_agent_and_reason(client, staff):
    client.post(
        reverse(LOGIN),
        {"username": staff.username, "password": "x"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    row = LoginLog.objects.get()
    assert (row.ip, row.user_agent, row.reason, row.success) == (
        "10.1.2.3",
        "TestBrowser/1.0",
        "bad_credentials",
        False,
    )


@pytest.mark.parametrize(
    "role,allowed", [("secadmin", True), ("auditadmin", True), ("sysadmin", False), ("staff", False)]
)
def test_login_log_is_read_by_security_and_audit_admins_only(client, role, allowed):
    client.force_login(UserFactory(**{role: True}))
    assert client.get(reverse("accounts:login_log")).status_code == (200 if allowed else 403)


def test_login_log_list_query_count(client, django_assert_max_num_queries):
    for n in range(30):
        LoginLog.objects.create(username=f"u{n}", success=False, reason="bad_credentials")
    client.force_login(UserFactory(secadmin=True))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("accounts:login_log")).status_code == 200


# --- sessions ----------------------------------------------------------------------------------------
def test_session_is_tracked_and_revoked_by_an_indexed_delete(client, staff):
    client.force_login(staff)
    assert UserSession.objects.filter(user=staff).count() == 1
    services.user_set_active(actor=UserFactory(sysadmin=True), user=staff, active=False)
    assert not UserSession.objects.filter(user=staff).exists() and Session.objects.count() == 0


def test_absolute_session_lifetime_ends_an_active_session(client, staff):
    client.force_login(staff)
    session = client.session
    session["kc_auth_until"] = int(timezone.now().timestamp()) - 1
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse(LOGIN) in response["Location"]
    assert client.get(reverse("core:home")).status_code == 302


def test_logout_forgets_the_tracked_session(client, staff):
    client.force_login(staff)
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.exists()


# --- TOTP ------------------------------------------------------------------------------------------
def _enrolled(user):
    device = services.totp_begin_enrolment(user=user)
    codes = services.totp_confirm(actor=user, user=user, code=pyotp.TOTP(device.secret).now())
    TotpDevice.objects.filter(pk=device.pk).update(last_used_step=0)
    return device, codes


def test_admin_password_alone_does_not_log_in(client):
    admin = UserFactory(sysadmin=True)
    response = _login(client, admin.username)
    assert response["Location"] == reverse("accounts:totp")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302


def test_admin_first_login_enrols_with_a_qr_code_then_logs_in(client):
    admin = UserFactory(secadmin=True)
    _login(client, admin.username)
    page = client.get(reverse("accounts:totp"))
    assert page.context["qr"].startswith("data:image/svg+xml") and page.context["secret"]
    code = pyotp.TOTP(page.context["secret"]).now()
    response = client.post(reverse("accounts:totp"), {"code": code})
    assert len(response.context["codes"]) == 10
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_totp_code_is_verified_and_not_replayable(client):
    admin = UserFactory(auditadmin=True)
    device, _ = _enrolled(admin)
    _login(client, admin.username)
    code = pyotp.TOTP(device.secret).now()
    assert client.post(reverse("accounts:totp"), {"code": code}).status_code == 302
    assert "_auth_user_id" in client.session
    other = client.__class__()
    _login(other, admin.username)
    other.post(reverse("accounts:totp"), {"code": code})
    assert "_auth_user_id" not in other.session


def test_recovery_code_works_once(client):
    admin = UserFactory(sysadmin=True)
    _, codes = _enrolled(admin)
    _login(client, admin.username)
    client.post(reverse("accounts:totp"), {"code": codes[0]})
    assert "_auth_user_id" in client.session
    other = client.__class__()
    _login(other, admin.username)
    other.post(reverse("accounts:totp"), {"code": codes[0]})
    assert "_auth_user_id" not in other.session


def test_wrong_totp_codes_count_towards_the_lock(client):
    admin = UserFactory(sysadmin=True)
    _enrolled(admin)
    _login(client, admin.username)
    for _ in range(5):
        client.post(reverse("accounts:totp"), {"code": "000000"})
    assert services.is_locked(admin)


def test_staff_totp_follows_the_security_policy(client, staff):
    assert not permissions.totp_required(staff)
    SecurityPolicy.objects.update_or_create(pk=1, defaults={"totp_for_staff": True})
    assert permissions.totp_required(staff)
    assert _login(client, staff.username)["Location"] == reverse("accounts:totp")


# --- 三员分立 --------------------------------------------------------------------------------------
def test_sysadmin_creates_a_staff_account_audited(client, district):
    admin = UserFactory(sysadmin=True)
    client.force_login(admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "zhangsan",
            "display_name": "张三",
            "role": "staff",
            "region": district.pk,
            "password": "Init@Pass2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert (
        user.must_change_password
        and AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    )


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin"])
def test_sysadmin_cannot_mint_an_administrator(role, district):
    admin = UserFactory(sysadmin=True)
    with pytest.raises(PermissionError):
        services.user_create(actor=admin, username="x", password="Init@Pass2026", role=role)
    assert not User.objects.filter(username="x").exists()


def test_sysadmin_cannot_change_an_administrator_role(client):
    admin, auditor = UserFactory(sysadmin=True), UserFactory(auditadmin=True)
    with pytest.raises(PermissionError):
        services.user_update_scope(
            actor=admin, user=auditor, expected_version=auditor.version, display_name="x", role=Role.STAFF
        )


def test_role_change_revokes_the_users_sessions(client, staff, firm):
    client.force_login(staff)
    services.user_update_scope(
        actor=UserFactory(sysadmin=True),
        user=staff,
        expected_version=staff.version,
        display_name="改为企业",
        role=Role.ENTERPRISE,
        organisation=firm,
    )
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.parametrize("role", ["secadmin", "auditadmin", "staff", "leader"])
def test_only_the_sysadmin_reaches_ordinary_accounts(client, role, staff):
    client.force_login(UserFactory(**{role: True}))
    listed = client.get(reverse("accounts:user_list"))
    assert listed.status_code == (200 if role == "secadmin" else 403)
    if role == "secadmin":  # the security administrator's list holds the three administrators only
        assert staff.username not in listed.content.decode()
    assert client.get(reverse("accounts:user_edit", args=[staff.pk])).status_code == 404
    assert client.post(reverse("accounts:user_action", args=[staff.pk, "disable"])).status_code == 404
    staff.refresh_from_db()
    assert staff.is_active


def test_sysadmin_cannot_read_the_audit_trail(client):
    client.force_login(UserFactory(sysadmin=True))
    assert client.get(reverse("core:audit_list")).status_code in (403, 404)


def test_audit_admin_changes_nothing(client, staff):
    client.force_login(UserFactory(auditadmin=True))
    assert client.get(reverse("accounts:security_settings")).status_code == 403
    assert client.post(reverse("accounts:user_create"), {"username": "x"}).status_code == 403
    assert client.post(reverse("accounts:security_settings"), {"lockout_threshold": 3}).status_code == 403


@pytest.mark.parametrize("role", ["sysadmin", "auditadmin", "staff"])
def test_only_the_security_admin_sets_policy(client, role):
    client.force_login(UserFactory(**{role: True}))
    assert client.get(reverse("accounts:security_settings")).status_code == 403
    with pytest.raises(PermissionError):
        services.security_policy_update(
            actor=UserFactory(**{role: True}), expected_version=1, lockout_threshold=3
        )


def test_security_admin_changes_policy_audited(client):
    sec = UserFactory(secadmin=True)
    client.force_login(sec)
    data = {
        "lockout_threshold": 3,
        "lockout_minutes": 15,
        "ip_max_failures": 50,
        "ip_window_minutes": 10,
        "session_absolute_hours": 8,
        "version": SecurityPolicy.current().version,
    }
    assert client.post(reverse("accounts:security_settings"), data).status_code == 302
    assert SecurityPolicy.current().lockout_threshold == 3
    event = AuditEvent.objects.get(action="security_policy.update")
    assert event.changes["lockout_minutes"] == [5, 15]


def test_policy_refuses_a_lock_shorter_than_five_minutes(client):
    sec = UserFactory(secadmin=True)
    with pytest.raises(ValidationError):
        services.security_policy_update(
            actor=sec, expected_version=SecurityPolicy.current().version, lockout_minutes=1
        )
    assert SecurityPolicy.current().lockout_minutes == 5


# --- 三员 on each other's accounts (issue 25) --------------------------------------------------------------
def _action(client, target, action):
    return client.post(reverse("accounts:user_action", args=[target.pk, action]))


@pytest.mark.parametrize("victim", ["auditadmin", "secadmin"])
def test_sysadmin_cannot_disable_another_administrator(client, victim):
    admin, target = UserFactory(sysadmin=True), UserFactory(**{victim: True})
    client.force_login(admin)
    assert _action(client, target, "disable").status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[target.pk])).status_code == 404
    with pytest.raises(PermissionError, match="安全管理员"):
        services.user_set_active(actor=admin, user=target, active=False)
    target.refresh_from_db()
    assert target.is_active


def test_sysadmin_cannot_remove_the_auditors_totp_device(client):
    admin, auditor = UserFactory(sysadmin=True), UserFactory(auditadmin=True)
    services.totp_begin_enrolment(user=auditor)
    client.force_login(admin)
    assert _action(client, auditor, "reset_totp").status_code == 404
    with pytest.raises(PermissionError):
        services.totp_reset(actor=admin, user=auditor)
    assert TotpDevice.objects.filter(user=auditor).exists()


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin"])
def test_no_administrator_disables_or_resets_himself(client, role):
    me = UserFactory(**{role: True})
    services.totp_begin_enrolment(user=me)
    client.force_login(me)
    for action in ("disable", "reset_totp"):
        assert _action(client, me, action).status_code == 404
    for call in (
        lambda: services.user_set_active(actor=me, user=me, active=False),
        lambda: services.totp_reset(actor=me, user=me),
        lambda: services.user_update_scope(
            actor=me, user=me, expected_version=me.version, display_name="x", role=Role.STAFF
        ),
    ):
        with pytest.raises(PermissionError):
            call()
    me.refresh_from_db()
    assert me.is_active and me.role == role and TotpDevice.objects.filter(user=me).exists()


def test_security_admin_disables_enables_and_resets_another_administrator_audited(client):
    sec, auditor, admin = UserFactory(secadmin=True), UserFactory(auditadmin=True), UserFactory(sysadmin=True)
    services.totp_begin_enrolment(user=auditor)
    client.force_login(sec)
    page = client.get(reverse("accounts:user_edit", args=[auditor.pk]))
    assert page.status_code == 200 and page.context["form"] is None  # no role change: command line only
    assert _action(client, admin, "disable").status_code == 302
    assert _action(client, auditor, "reset_totp").status_code == 302
    admin.refresh_from_db()
    assert not admin.is_active and not TotpDevice.objects.filter(user=auditor).exists()
    assert _action(client, admin, "enable").status_code == 302
    admin.refresh_from_db()
    assert admin.is_active
    actions = set(AuditEvent.objects.filter(actor=sec).values_list("action", flat=True))
    assert {"user.set_active", "totp.reset"} <= actions


def test_security_admin_cannot_change_an_administrators_role_or_touch_ordinary_accounts(client, staff):
    sec, auditor = UserFactory(secadmin=True), UserFactory(auditadmin=True)
    client.force_login(sec)
    response = client.post(
        reverse("accounts:user_edit", args=[auditor.pk]),
        {"display_name": "x", "role": "staff", "version": auditor.version},
    )
    assert response.status_code == 404
    assert _action(client, staff, "disable").status_code == 404
    with pytest.raises(PermissionError):
        services.user_update_scope(
            actor=sec, user=auditor, expected_version=auditor.version, display_name="x", role=Role.AUDITADMIN
        )
    auditor.refresh_from_db()
    staff.refresh_from_db()
    assert auditor.role == Role.AUDITADMIN and staff.is_active

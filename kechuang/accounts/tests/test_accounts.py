import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from kechuang.accounts import services
from kechuang.accounts.models import User
from kechuang.core.models import AuditEvent
from kechuang.core.roles import THREE_ADMINS, Role
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_three_admin_duties_can_never_meet_in_one_account():
    # One account holds exactly one role (docs/adr/0002); the role column is a single choice.
    user = UserFactory(sysadmin=True)
    assert user.role in THREE_ADMINS
    assert [f.name for f in User._meta.get_fields() if f.name.startswith("role")] == ["role"]


def test_bureau_user_without_region_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="noregion", role=Role.STAFF, region=None)


def test_enterprise_user_without_organisation_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="noorg", role=Role.ENTERPRISE)


def test_unknown_role_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role="superuser")


@pytest.mark.parametrize("weak", ["short1A", "alllowercaseletters", "12345678901", "Password"])
def test_weak_passwords_are_rejected_with_chinese_reasons(weak, district):
    with pytest.raises(ValidationError):
        services.user_create(actor=None, username="weak", password=weak, role=Role.STAFF, region=district)
    assert not User.objects.filter(username="weak").exists()


def test_login_is_logged_for_success_and_failure(client, staff):
    client.post(reverse("accounts:login"), {"username": staff.username, "password": "bad"})
    client.post(reverse("accounts:login"), {"username": staff.username, "password": TEST_PASSWORD})
    actions = list(AuditEvent.objects.filter(action__startswith="login.").values_list("action", flat=True))
    assert "login.failure" in actions and "login.success" in actions


def test_same_answer_for_unknown_users_and_wrong_passwords(client, staff):
    known = client.post(reverse("accounts:login"), {"username": staff.username, "password": "bad"})
    unknown = client.post(reverse("accounts:login"), {"username": "ghost", "password": "bad"})
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_session_rotates_at_login(client, staff):
    client.get(reverse("accounts:login"))
    client.cookies["sessionid"] = "attacker-chosen"
    client.post(reverse("accounts:login"), {"username": staff.username, "password": TEST_PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen"


def test_disabling_an_account_revokes_its_sessions(client, staff):
    client.force_login(staff)
    assert Session.objects.count() == 1
    services.user_set_active(actor=UserFactory(sysadmin=True), user=staff, active=False)
    assert Session.objects.count() == 0
    assert client.get(reverse("core:home")).status_code == 302


def test_only_the_system_administrator_disables_accounts(staff):
    with pytest.raises(PermissionError):
        services.user_set_active(actor=UserFactory(auditadmin=True), user=staff, active=False)


def test_password_change_revokes_other_sessions_but_keeps_this_one(client, staff):
    other = client.__class__()
    other.force_login(staff)
    client.force_login(staff)
    response = client.post(
        reverse("accounts:profile"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Neu-Passw0rt!",
            "new_password2": "Neu-Passw0rt!",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert other.get(reverse("core:home")).status_code == 302


def test_logout_requires_post(client, staff):
    client.force_login(staff)
    client.get(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302


def test_menu_shows_only_built_modules_for_the_role(client, staff):
    auditor = UserFactory(auditadmin=True)
    client.force_login(staff)
    labels = [item["label"] for item in client.get(reverse("core:home")).context["menu"]]
    assert "单位与人员" in labels and "审计日志" not in labels
    client.force_login(auditor)
    labels = [item["label"] for item in client.get(reverse("core:home")).context["menu"]]
    assert "审计日志" in labels and "单位与人员" not in labels


def test_the_shell_switches_to_english(client, staff):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert "Workbench" in html and "Organisations &amp; people" in html and "Log out" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get(reverse("core:home")).content.decode()

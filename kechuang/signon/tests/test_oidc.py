"""OpenID Connect sign-on against a real provider on loopback (issue 30, ADR 0022)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from kechuang.accounts.models import LoginLog, User
from kechuang.core import permissions as core_permissions
from kechuang.core.roles import Role
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from kechuang.signon import services
from kechuang.signon.models import Identity
from kechuang.signon.tests.conftest import oidc_login

pytestmark = pytest.mark.django_db


def _session_user(client):
    key = client.session.get(SESSION_KEY)
    return User.objects.get(pk=key) if key else None


def test_a_firm_is_provisioned_by_credit_code_into_its_own_scope(client, idp, town):
    mine, other = OrganisationFactory(region=town), OrganisationFactory(region=town)
    idp.add_user("fangda", "pw", credit_code=mine.credit_code, name="方达电子经办人")
    page = oidc_login(client, idp, "fangda")
    user = _session_user(client)
    assert user is not None and page.redirect_chain[-1][0] == "/"
    assert user.role == Role.ENTERPRISE and user.organisation == mine and not user.has_usable_password()
    assert user.display_name == "方达电子经办人"
    assert list(core_permissions.organisations.queryset(user)) == [mine]
    assert other not in core_permissions.organisations.queryset(user)
    identity = Identity.objects.get(user=user)
    assert (identity.kind, identity.key, identity.provider, identity.subject) == (
        "firm",
        mine.credit_code,
        "oidc",
        "fangda",
    )
    assert LoginLog.objects.filter(user=user, success=True).exists()
    # The second time the same account is found, not another one made.
    client.logout()
    oidc_login(client, idp, "fangda")
    assert _session_user(client) == user and User.objects.filter(organisation=mine).count() == 1


def test_a_changed_claim_never_moves_an_account_to_another_firm(client, idp, town):
    first, second = OrganisationFactory(region=town), OrganisationFactory(region=town)
    idp.add_user("jingban", "pw", credit_code=first.credit_code, name="经办人")
    oidc_login(client, idp, "jingban")
    account = _session_user(client)
    assert account.organisation == first
    client.logout()
    # The provider now says the same person acts for another firm.
    idp.users["jingban"]["claims"]["credit_code"] = second.credit_code
    oidc_login(client, idp, "jingban")
    now = _session_user(client)
    account.refresh_from_db()
    assert account.organisation == first  # the old account stayed where it was
    assert now != account and now.organisation == second
    assert first not in core_permissions.organisations.queryset(now)


def test_an_account_whose_firm_changed_its_credit_code_in_kechuang_is_refused(client, idp, town):
    firm = OrganisationFactory(region=town)
    idp.add_user("jingban", "pw", credit_code=firm.credit_code)
    oidc_login(client, idp, "jingban")
    account = _session_user(client)
    client.logout()
    replacement = OrganisationFactory.build().credit_code
    type(firm).objects.filter(pk=firm.pk).update(credit_code=replacement)
    idp.users["jingban"]["claims"]["credit_code"] = replacement
    page = oidc_login(client, idp, "jingban")
    # A new account for the code (the firm now carries it); the old one is not reused under another code.
    assert _session_user(client) != account
    assert page.status_code == 200


def test_an_unregistered_firm_is_refused_in_chinese_and_nothing_is_created(client, idp):
    code = OrganisationFactory.build().credit_code  # valid, but no such organisation here
    idp.add_user("stranger", "pw", credit_code=code)
    page = oidc_login(client, idp, "stranger")
    assert _session_user(client) is None
    text = page.content.decode()
    assert f"统一社会信用代码为 {code} 的单位尚未在" in text and "登记" in text
    assert not Identity.objects.exists() and not User.objects.filter(role=Role.ENTERPRISE).exists()
    refusal = LoginLog.objects.get(reason=LoginLog.Reason.SSO_REFUSED)
    assert refusal.username == "oidc:stranger" and not refusal.success


def test_a_display_name_never_finds_an_account(client, idp, town):
    existing = UserFactory(staff=True, display_name="王晓梅", username="wangxm")
    idp.add_user("wxm", "pw", name="王晓梅", staff_number="ZC-0099")  # same name, no staff number recorded
    page = oidc_login(client, idp, "wxm")
    assert _session_user(client) is None
    assert "工号 ZC-0099 尚未在科创开通账户" in page.content.decode()
    services.staff_number_set(actor=None, user=existing, number="ZC-0099")
    oidc_login(client, idp, "wxm")
    assert _session_user(client) == existing


def test_an_official_gets_the_role_and_scope_granted_in_kechuang(client, idp, other_district):
    official = UserFactory(leader=True, region=other_district, username="zd_leader_x")
    services.staff_number_set(actor=None, user=official, number="ZD-0001")
    idp.add_user(
        "li", "pw", staff_number="ZD-0001", name="李局长", role="sysadmin"
    )  # a claimed role is ignored
    oidc_login(client, idp, "li")
    user = _session_user(client)
    assert user == official and user.role == Role.LEADER and user.region == other_district
    assert user.display_name != "李局长" or official.display_name == "李局长"


def test_the_three_administrators_never_sign_on(client, idp):
    admin = UserFactory(sysadmin=True)
    with pytest.raises(PermissionError):
        services.staff_number_set(actor=None, user=admin, number="ADM-1")
    Identity.objects.create(kind="official", key="ADM-1", user=admin)  # even if one were linked by hand
    idp.add_user("adm", "pw", staff_number="ADM-1")
    page = oidc_login(client, idp, "adm")
    assert _session_user(client) is None and "三员" in page.content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        {"id_token_overrides": {"aud": "another-client"}},
        {"id_token_overrides": {"iss": "https://idp.elsewhere.example"}},
        {"id_token_overrides": {"exp": 1_000_000_000}},
        {"forged": True},
    ],
    ids=["audience", "issuer", "expired", "forged-signature"],
)
def test_an_id_token_for_someone_else_expired_or_forged_is_refused(client, idp, town, tamper):
    from cryptography.hazmat.primitives.asymmetric import rsa

    firm = OrganisationFactory(region=town)
    idp.add_user("fangda", "pw", credit_code=firm.credit_code)
    idp.id_token_overrides = tamper.get("id_token_overrides", {})
    if tamper.get("forged"):
        idp.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    page = oidc_login(client, idp, "fangda")
    assert _session_user(client) is None
    assert "统一身份认证未能完成登录" in page.content.decode()
    assert not User.objects.filter(organisation=firm).exists()


def test_a_callback_this_session_did_not_start_is_refused(client, idp):
    page = client.get(reverse("signon:oidc_callback"), {"code": "x", "state": "not-ours"}, follow=True)
    assert _session_user(client) is None and page.status_code == 200


def test_an_unreachable_provider_gets_a_chinese_message(client, idp, settings):
    settings.KECHUANG_OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    page = client.get(reverse("signon:oidc_start"), follow=True)
    assert "统一身份认证服务暂时无法连接" in page.content.decode()


def test_the_login_page_shows_the_configured_methods_in_chinese(client, idp, settings):
    settings.KECHUANG_LOGIN_METHODS = ["oidc", "local"]
    text = client.get(reverse("accounts:login")).content.decode()
    assert "使用政务服务统一身份认证登录" in text and reverse("signon:oidc_start") in text
    assert "或使用本地账号" in text
    settings.KECHUANG_LOGIN_METHODS = ["local"]
    text = client.get(reverse("accounts:login")).content.decode()
    assert "统一身份认证" not in text


def test_without_local_logins_the_password_form_serves_the_three_administrators_only(client, idp, settings):
    settings.KECHUANG_LOGIN_METHODS = ["oidc"]
    text = client.get(reverse("accounts:login")).content.decode()
    assert "三员管理员（系统、安全、审计管理员）本地登录" in text
    firm_user = UserFactory(enterprise=True, username="qiye_local")
    page = client.post(reverse("accounts:login"), {"username": "qiye_local", "password": TEST_PASSWORD})
    assert _session_user(client) is None and "本地账号仅供三员管理员使用" in page.content.decode()
    assert LoginLog.objects.filter(user=firm_user, reason=LoginLog.Reason.LOCAL_OFF).exists()
    UserFactory(sysadmin=True, username="sys_local")
    admin = client.post(reverse("accounts:login"), {"username": "sys_local", "password": TEST_PASSWORD})
    assert admin.status_code == 302 and admin["Location"] == reverse("accounts:totp")  # on to TOTP


def test_oidc_is_refused_where_it_is_not_configured(client, settings):
    settings.KECHUANG_LOGIN_METHODS = ["local"]
    page = client.get(reverse("signon:oidc_start"), follow=True)
    assert "未启用统一身份认证" in page.content.decode()

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core.indicators import Period, Scope, compute
from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory
from kechuang.platforms import rules, selectors, services
from kechuang.platforms.models import Platform, StatusChange
from kechuang.platforms.tests.factories import MembershipFactory, PlatformFactory

pytestmark = pytest.mark.django_db


def _scope(district, day):
    return Scope(region=district, period=Period(day.year), as_of=day)


def test_every_transition_in_the_table_is_allowed_and_others_are_refused():
    for old in rules.FLOW.states:
        targets = rules.FLOW.targets(old)
        for new in ("planning", "building", "recognised", "evaluated", "revoked"):
            reason = rules.check_transition(old, new, document="文件", on=dt.date(2020, 1, 1))
            assert (reason == "") == (new in targets), (old, new, reason)


def test_recognition_needs_a_document(staff, firm, district):
    p = services.platform_create(
        actor=staff, name="院士工作站", kind="academician", level="municipal", operator=firm, region=district
    )
    with pytest.raises(ValidationError, match="须填写"):
        services.platform_transition(actor=staff, platform=p, to="recognised", on=dt.date(2020, 5, 1))
    p.refresh_from_db()
    assert p.status == "planning" and p.recognised_on is None


def test_status_and_level_changes_are_audited_with_date_and_document(staff, firm, district):
    p = services.platform_create(
        actor=staff, name="新型研发机构", kind="new_rd", level="municipal", operator=firm, region=district
    )
    services.platform_transition(actor=staff, platform=p, to="building", on=dt.date(2020, 3, 1))
    p = services.platform_transition(
        actor=staff, platform=p, to="recognised", on=dt.date(2020, 6, 1), document="鲁科字〔2020〕9号"
    )
    p = services.platform_set_level(
        actor=staff, platform=p, level="provincial", on=dt.date(2020, 9, 1), document="鲁科字〔2020〕30号"
    )
    assert p.status == "recognised" and p.level == "provincial" and p.recognised_on == dt.date(2020, 6, 1)
    actions = list(
        AuditEvent.objects.filter(object_id=str(p.pk), object_type="platforms.platform")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["platform.create", "platform.transition", "platform.transition", "platform.set_level"]
    level_change = StatusChange.objects.get(platform=p, field="level")
    assert (level_change.from_status, level_change.to_status, level_change.document) == (
        "municipal",
        "provincial",
        "鲁科字〔2020〕30号",
    )


def test_illegal_transition_changes_nothing(staff):
    p = PlatformFactory(status="recognised")
    with pytest.raises(ValidationError, match="不能从"):
        services.platform_transition(actor=staff, platform=p, to="building", on=dt.date(2020, 5, 1))
    assert Platform.objects.get(pk=p.pk).status == "recognised"
    assert not AuditEvent.objects.filter(action="platform.transition").exists()


def test_revoked_platform_stops_counting_from_its_revocation_date(staff, district):
    p = PlatformFactory(kind="maker_space", level="national", recognised_on=dt.date(2020, 3, 1))
    services.platform_transition(
        actor=staff, platform=p, to="revoked", on=dt.date(2020, 9, 1), document="国科火字〔2020〕99号"
    )
    before = compute("maker_space_national_count", _scope(district, dt.date(2020, 8, 31)))
    on_day = compute("maker_space_national_count", _scope(district, dt.date(2020, 9, 1)))
    assert before.value == 1 and on_day.value == 0
    assert compute("platform_count", _scope(district, dt.date(2020, 2, 28))).value == 0


def test_platforms_of_another_district_do_not_count(district, other_district):
    PlatformFactory(region=other_district)
    PlatformFactory()
    assert compute("platform_count", _scope(district, dt.date(2020, 11, 30))).value == 1


def test_alliance_members_count_while_member_and_alliance_valid(staff, district):
    alliance = PlatformFactory(kind="alliance")
    m = MembershipFactory(platform=alliance, joined_on=dt.date(2020, 4, 1))
    MembershipFactory(platform=alliance, joined_on=dt.date(2020, 12, 1))
    day = dt.date(2020, 11, 30)
    assert compute("alliance_member_firms", _scope(district, day)).value == 1
    services.member_leave(actor=staff, membership=m, left_on=dt.date(2020, 10, 1))
    assert compute("alliance_member_firms", _scope(district, day)).value == 0


def test_member_cannot_join_twice(staff, firm):
    alliance = PlatformFactory(kind="alliance")
    services.member_add(actor=staff, platform=alliance, organisation=firm, joined_on=dt.date(2020, 4, 1))
    with pytest.raises(ValidationError, match="已是"):
        services.member_add(actor=staff, platform=alliance, organisation=firm, joined_on=dt.date(2020, 5, 1))


def test_incubator_evaluation_follows_its_schema_and_marks_platform_evaluated(staff):
    p = PlatformFactory(kind="incubator", recognised_on=dt.date(2018, 5, 1))
    with pytest.raises(ValidationError):
        services.evaluation_record(actor=staff, platform=p, year=2019, data={"area": "abc"})
    ev = services.evaluation_record(
        actor=staff,
        platform=p,
        year=2019,
        data={"area": "12000", "incubated": 35, "graduated": 4, "jobs": 420},
    )
    assert ev.data == {"area": "12000", "incubated": 35, "graduated": 4, "jobs": 420}
    assert Platform.objects.get(pk=p.pk).status == "evaluated"


def _login(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_public_sees_published_platforms_only(client):
    shown = PlatformFactory(published=True, name="公开的众创空间")
    hidden = PlatformFactory(name="未公开的平台")
    html = client.get(reverse("platforms:public_list")).content.decode()
    assert "公开的众创空间" in html and "未公开的平台" not in html
    assert client.get(reverse("platforms:public_detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("platforms:public_detail", args=[hidden.pk])).status_code == 404


def test_enterprise_sees_own_and_member_platforms_but_cannot_change(client, enterprise_user):
    own = PlatformFactory(operator=enterprise_user.organisation)
    member_of = MembershipFactory(organisation=enterprise_user.organisation).platform
    other = PlatformFactory()
    _login(client, enterprise_user)
    assert client.get(reverse("platforms:platform_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("platforms:platform_detail", args=[member_of.pk])).status_code == 200
    assert client.get(reverse("platforms:platform_detail", args=[other.pk])).status_code == 404
    resp = client.post(
        reverse("platforms:platform_transition", args=[own.pk]),
        {"to": "revoked", "on": "2020-10-01", "document": "x"},
    )
    assert resp.status_code == 404
    assert Platform.objects.get(pk=own.pk).status == "recognised"


def test_staff_of_another_district_gets_404(client, other_district):
    p = PlatformFactory()
    _login(client, UserFactory(staff=True, region=other_district))
    assert client.get(reverse("platforms:platform_detail", args=[p.pk])).status_code == 404


def test_staff_revokes_through_the_page(client, staff):
    p = PlatformFactory()
    _login(client, staff)
    client.post(
        reverse("platforms:platform_transition", args=[p.pk]),
        {"to": "revoked", "on": "2020-10-01", "document": "淄科发〔2020〕50号"},
    )
    p.refresh_from_db()
    assert p.status == "revoked" and p.revoked_on == dt.date(2020, 10, 1)


def test_create_page_registers_a_platform(client, staff, firm):
    _login(client, staff)
    resp = client.post(
        reverse("platforms:platform_create"),
        {
            "name": "方达1977众创空间",
            "kind": "maker_space",
            "level": "national",
            "status": "recognised",
            "operator": firm.pk,
            "recognised_on": "2020-05-10",
            "recognition_document": "国科火字〔2020〕100号",
        },
    )
    assert resp.status_code == 302
    assert Platform.objects.get(name="方达1977众创空间").recognised_on == dt.date(2020, 5, 10)


def test_list_and_export_use_bounded_queries(client, staff, django_assert_max_num_queries):
    for _ in range(3):
        PlatformFactory(industry=None)
    _login(client, staff)
    client.get(reverse("platforms:platform_list"))
    for _ in range(8):
        PlatformFactory()
    with django_assert_max_num_queries(10):
        resp = client.get(reverse("platforms:platform_list") + "?kind=alliance")
    assert resp.status_code == 200 and "测试平台" in resp.content.decode()
    with django_assert_max_num_queries(14):  # 10, plus the export's audit event (a constant 4)
        resp = client.get(reverse("platforms:platform_export"))
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")


def test_leader_cannot_export_from_other_region_and_enterprise_cannot_export(client, enterprise_user):
    _login(client, enterprise_user)
    assert client.get(reverse("platforms:platform_export")).status_code == 403


def test_overview_counts_valid_platforms(client, staff):
    PlatformFactory(kind="community", level="municipal")
    _login(client, staff)
    html = client.get(reverse("platforms:overview") + "?day=2020-11-30").content.decode()
    assert "创新创业共同体" in html


def test_selector_counts_by_kind_and_level(district):
    PlatformFactory(kind="community", level="municipal")
    PlatformFactory(kind="community", level="municipal")
    rows = selectors.counts_by_kind_level(district, dt.date(2020, 11, 30))
    assert rows == [{"kind": "community", "level": "municipal", "n": 2}]
    assert Region.objects.filter(code="370306").exists()


def test_the_history_shows_status_and_level_labels_not_codes(client, staff):
    """Issue 27: the status and level history reads 筹建/申报中 → 建设中 and 市级 → 省级, never the stored codes."""
    p = PlatformFactory(planning=True)
    services.platform_transition(actor=staff, platform=p, to="building", on=dt.date(2020, 9, 15))
    services.platform_set_level(
        actor=staff, platform=p, level="provincial", on=dt.date(2020, 10, 1), document="鲁科字〔2020〕1号"
    )
    _login(client, staff)
    page = client.get(reverse("platforms:platform_detail", args=[p.pk])).content.decode()
    history = page[page.index("状态与级别变更") :]
    rows = [
        "".join(re.findall(r"<td[^>]*>([^<]*)</td>", row)) for row in re.findall(r"<tr>(.*?)</tr>", history)
    ]
    assert any("状态筹建/申报中建设中" in row for row in rows), rows
    assert any("级别市级省级" in row for row in rows), rows
    assert not re.search(r">\s*(planning|building|municipal|provincial)\s*<", history)

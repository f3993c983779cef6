import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kechuang.agritech import selectors, services
from kechuang.agritech.models import Station, VillageFlag
from kechuang.agritech.tests.factories import CommissionerFactory, PairingFactory, ServiceLogFactory, village
from kechuang.core.models import AuditEvent, Organisation, Region
from kechuang.core.tests.factories import TEST_PASSWORD, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.login(username=staff.username, password=TEST_PASSWORD)
    return client


def _many(n=8):
    for i in range(n):
        v = village(f"370306100{950 + i}", f"测试{i}村")
        VillageFlag.objects.create(village=v, year=2020, flag=VillageFlag.Flag.KEY_POVERTY)
        p = PairingFactory(village=v)
        ServiceLogFactory(pairing=p, rating=4)


@pytest.mark.parametrize(
    "name",
    [
        "agritech:village_list",
        "agritech:pairing_list",
        "agritech:log_list",
        "agritech:commissioner_list",
        "agritech:request_list",
    ],
)
def test_list_pages_use_a_fixed_number_of_queries(staff_client, name, django_assert_max_num_queries):
    _many(3)
    staff_client.get(reverse(name))
    _many_more = 6
    for i in range(_many_more):
        v = village(f"370306101{960 + i}", f"更多{i}村", town="370306101")
        ServiceLogFactory(pairing=PairingFactory(village=v))
    with django_assert_max_num_queries(12):
        assert staff_client.get(reverse(name)).status_code == 200


def test_overview_and_evaluation_use_bounded_queries(staff_client, django_assert_max_num_queries):
    _many(8)
    with django_assert_max_num_queries(16):
        html = staff_client.get(reverse("agritech:overview") + "?day=2020-11-30").content.decode()
    assert "实现全覆盖" in html
    with django_assert_max_num_queries(16):
        assert staff_client.get(reverse("agritech:evaluation") + "?year=2020").status_code == 200


def test_overview_lists_the_gaps(staff_client, key_village):
    html = staff_client.get(reverse("agritech:overview") + "?day=2020-11-30").content.decode()
    assert "未覆盖的重点村（1个）" in html and key_village.name in html


def test_village_import_checks_every_row_before_writing(staff_client, other_district):
    Region.objects.create(
        code="370303001",
        name="车站街道",
        level=4,
        parent=other_district,
        path=f"{other_district.path}370303001/",
    )
    bad = "code,name,level,parent_code\n370306100301,甲村,5,370306100\n370303001301,外区村,5,370303001\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = staff_client.post(
        reverse("agritech:village_import"), {"file": SimpleUploadedFile("v.csv", bad.encode())}
    )
    assert "不在您的管理区划内" in resp.content.decode()
    assert not Region.objects.filter(code="370306100301").exists()
    orphan = "code,name,level,parent_code\n370306100301,甲村,5,370306999\n"
    resp = staff_client.post(
        reverse("agritech:village_import"), {"file": SimpleUploadedFile("v.csv", orphan.encode())}
    )
    assert "上级代码须为已有的乡镇街道" in resp.content.decode()
    good = "code,name,level,parent_code\n370306100301,甲村,5,370306100\n370306103302,乙村,5,370306103\n"
    resp = staff_client.post(
        reverse("agritech:village_import"), {"file": SimpleUploadedFile("v.csv", good.encode("utf-8-sig"))}
    )
    assert resp.status_code == 302
    v = Region.objects.get(code="370306103302")
    assert (
        v.level == Region.Level.VILLAGE
        and v.parent.code == "370306103"
        and v.path.endswith("370306103/370306103302/")
    )
    assert AuditEvent.objects.filter(action="agritech.villages_import").count() == 1


def test_villages_command(staff, tmp_path):
    f = tmp_path / "v.csv"
    f.write_text("code,name,level,parent_code\n370306104301,丙村,4,370306104\n", encoding="utf-8")
    with pytest.raises(CommandError, match="级别须为5"):
        call_command("agritech", "villages", str(f), "--as-user", staff.username)
    f.write_text("code,name,level,parent_code\n370306104301,丙村,5,370306104\n", encoding="utf-8")
    out = io.StringIO()
    call_command("agritech", "villages", str(f), "--as-user", staff.username, stdout=out)
    assert "已导入 1 个村居" in out.getvalue()


def test_key_village_in_year_is_a_query(staff, key_village, other_village):
    services.village_flag_set(
        actor=staff, village=other_village, year=2019, flag=VillageFlag.Flag.KEY_POVERTY
    )
    assert list(selectors.villages_for(staff, key_year=2020)) == [key_village]
    assert list(selectors.villages_for(staff, key_year=2019)) == [other_village]


def test_service_days_count_distinct_dates(own_pairing, own_commissioner):
    ServiceLogFactory(pairing=own_pairing, date=dt.date(2020, 5, 1))
    ServiceLogFactory(pairing=own_pairing, date=dt.date(2020, 5, 1))
    ServiceLogFactory(pairing=own_pairing, date=dt.date(2020, 5, 2))
    ServiceLogFactory(pairing=own_pairing, date=dt.date(2021, 1, 2))
    assert selectors.service_days([own_commissioner.pk], 2020) == {own_commissioner.pk: 2}


def test_evaluation_uses_the_configured_cut_offs(staff, district, own_pairing, own_commissioner):
    for day in range(1, 4):
        ServiceLogFactory(pairing=own_pairing, date=dt.date(2020, 6, day), rating=5)
    _, rows = selectors.evaluation(staff, district, 2020)
    assert rows[0]["grade"] == "不合格"  # 3 days < default 15
    services.cutoffs_set(
        actor=staff,
        region=district,
        year=2020,
        excellent_days=3,
        excellent_rating=Decimal("4.5"),
        pass_days=2,
        pass_rating=Decimal("3"),
    )
    cutoffs, rows = selectors.evaluation(staff, district, 2020)
    assert rows[0]["grade"] == "优秀" and "≥3天" in cutoffs.describe()


def test_staff_registers_commissioner_team(staff_client, district):
    from kechuang.core.tests.factories import PersonFactory

    a, b = PersonFactory(region=district), PersonFactory(region=district)
    resp = staff_client.post(
        reverse("agritech:commissioner_create"),
        {
            "kind": "team",
            "name": "果蔬团队",
            "person": a.pk,
            "members": [a.pk, b.pk],
            "source": "university",
            "level": "municipal",
            "expertise": "果蔬",
            "term_start": "2020-01-01",
            "term_end": "2021-12-31",
        },
    )
    assert resp.status_code == 302
    from kechuang.agritech.models import Commissioner

    c = Commissioner.objects.get(name="果蔬团队")
    assert set(c.members.all()) == {a, b} and c.region == district


def test_commissioner_of_a_team_acts_for_it(client, commissioner_user, key_village):
    team = CommissionerFactory(kind="team", person=None, name="团队")
    team.members.add(commissioner_user.person)
    p = PairingFactory(commissioner=team, village=key_village)
    client.login(username=commissioner_user.username, password=TEST_PASSWORD)
    assert client.get(reverse("agritech:pairing_detail", args=[p.pk])).status_code == 200


def test_supervision_with_rectification_puts_station_under_rectification(staff, town):
    op = OrganisationFactory(region=town, kind=Organisation.Kind.COOPERATIVE, credit_code=None, name="合作社")
    station = services.station_create(
        actor=staff, name="驿站", level="provincial", operator=op, town=Region.objects.get(code="370306103")
    )
    visit = services.supervision_record(
        actor=staff,
        station=station,
        date=dt.date(2020, 7, 1),
        inspector="张",
        findings="台账不全",
        rectification="补齐台账",
    )
    assert Station.objects.get().status == Station.Status.RECTIFYING
    services.supervision_rectified(actor=staff, visit=visit, on=dt.date(2020, 7, 20))
    assert Station.objects.get().status == Station.Status.OPERATING


def test_supervision_form_on_station_page(staff_client, staff, town):
    op = OrganisationFactory(region=town)
    station = services.station_create(actor=staff, name="驿站", level="district", operator=op, town=town)
    resp = staff_client.post(
        reverse("agritech:station_detail", args=[station.pk]),
        {"date": "2020-09-01", "inspector": "张丽华", "findings": "运行正常"},
    )
    assert resp.status_code == 302 and station.visits.count() == 1


def test_commissioner_form_offers_only_people_of_the_staff_region(staff_client, district, other_district):
    from kechuang.core.tests.factories import PersonFactory

    outsider = PersonFactory(region=other_district, name="外区人员")
    resp = staff_client.post(
        reverse("agritech:commissioner_create"),
        {
            "kind": "individual",
            "name": "外区人员",
            "person": outsider.pk,
            "source": "university",
            "level": "municipal",
            "expertise": "果蔬",
            "term_start": "2020-01-01",
            "term_end": "2021-12-31",
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "外区人员</option>" not in html
    from kechuang.agritech.models import Commissioner

    assert not Commissioner.objects.exists()

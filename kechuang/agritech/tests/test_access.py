import datetime as dt

import pytest
from django.urls import reverse

from kechuang.agritech.models import ServiceLog
from kechuang.agritech.tests.factories import ServiceLogFactory, png_bytes
from kechuang.core.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    def login(user):
        assert client.login(username=user.username, password=TEST_PASSWORD)
        return client

    return login


def test_commissioner_lists_only_own_logs(logged_in, commissioner_user, own_pairing, others_pairing):
    mine = ServiceLogFactory(pairing=own_pairing, place="我的地点")
    ServiceLogFactory(pairing=others_pairing, place="别人的地点")
    html = logged_in(commissioner_user).get(reverse("agritech:log_list")).content.decode()
    assert reverse("agritech:log_detail", args=[mine.pk]) in html
    assert others_pairing.village.name not in html


def test_commissioner_gets_404_for_someone_elses_log(
    logged_in, commissioner_user, own_pairing, others_pairing
):
    other = ServiceLogFactory(pairing=others_pairing)
    client = logged_in(commissioner_user)
    assert client.get(reverse("agritech:log_detail", args=[other.pk])).status_code == 404
    resp = client.post(reverse("agritech:log_edit", args=[other.pk]), {"place": "改了"})
    assert resp.status_code == 404
    other.refresh_from_db()
    assert other.place == "村委会"


def test_commissioner_gets_404_for_someone_elses_pairing(
    logged_in, commissioner_user, own_pairing, others_pairing
):
    client = logged_in(commissioner_user)
    assert client.get(reverse("agritech:pairing_detail", args=[others_pairing.pk])).status_code == 404
    assert client.get(reverse("agritech:pairing_card", args=[others_pairing.pk])).status_code == 404
    resp = client.post(
        reverse("agritech:pairing_transition", args=[others_pairing.pk]), {"to_status": "terminated"}
    )
    assert resp.status_code == 404


def test_commissioner_edits_own_log(logged_in, commissioner_user, own_pairing):
    log = ServiceLogFactory(pairing=own_pairing)
    resp = logged_in(commissioner_user).post(
        reverse("agritech:log_edit", args=[log.pk]),
        {
            "pairing": own_pairing.pk,
            "date": "2020-05-07",
            "place": "田间",
            "content": "喷药指导",
            "people_trained": 8,
            "version": log.version,
        },
    )
    assert resp.status_code == 302
    log.refresh_from_db()
    assert (log.place, log.date, log.version) == ("田间", dt.date(2020, 5, 7), 2)


def test_stale_log_edit_changes_nothing(logged_in, commissioner_user, own_pairing):
    log = ServiceLogFactory(pairing=own_pairing)
    resp = logged_in(commissioner_user).post(
        reverse("agritech:log_edit", args=[log.pk]),
        {
            "pairing": own_pairing.pk,
            "date": "2020-05-07",
            "place": "田间",
            "content": "x",
            "people_trained": 1,
            "version": 7,
        },
    )
    assert resp.status_code == 200 and "已被他人修改" in resp.content.decode()
    log.refresh_from_db()
    assert log.place == "村委会"


def test_commissioner_files_log_with_photo_from_phone_form(logged_in, commissioner_user, own_pairing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = logged_in(commissioner_user)
    resp = client.post(
        reverse("agritech:log_create"),
        {
            "pairing": own_pairing.pk,
            "date": "2020-06-01",
            "place": "大棚",
            "content": "嫁接育苗",
            "people_trained": 12,
            "technologies": "嫁接",
            "photos": [SimpleUploadedFile("现场.png", png_bytes(), "image/png")],
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    log = ServiceLog.objects.get()
    assert log.filed_by == commissioner_user and log.photos.count() == 1


def test_log_with_a_non_image_photo_is_rejected_and_nothing_saved(logged_in, commissioner_user, own_pairing):
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = logged_in(commissioner_user).post(
        reverse("agritech:log_create"),
        {
            "pairing": own_pairing.pk,
            "date": "2020-06-01",
            "place": "大棚",
            "content": "x",
            "people_trained": 0,
            "photos": [SimpleUploadedFile("a.png", b"%PDF-1.4 not an image", "image/png")],
        },
    )
    assert resp.status_code == 200 and "不支持的文件类型" in resp.content.decode()
    assert not ServiceLog.objects.exists()


def test_commissioner_cannot_file_for_someone_elses_pairing(
    logged_in, commissioner_user, own_pairing, others_pairing
):
    resp = logged_in(commissioner_user).post(
        reverse("agritech:log_create"),
        {
            "pairing": others_pairing.pk,
            "date": "2020-06-01",
            "place": "x",
            "content": "x",
            "people_trained": 0,
        },
    )
    assert resp.status_code == 200 and not ServiceLog.objects.exists()


def test_commissioner_cannot_rate_own_log(logged_in, commissioner_user, own_pairing):
    log = ServiceLogFactory(pairing=own_pairing)
    logged_in(commissioner_user).post(reverse("agritech:log_detail", args=[log.pk]), {"rating": 5})
    log.refresh_from_db()
    assert log.rating is None


def test_staff_records_the_served_partys_rating(logged_in, staff, own_pairing):
    log = ServiceLogFactory(pairing=own_pairing)
    logged_in(staff).post(reverse("agritech:log_detail", args=[log.pk]), {"rating": 4, "comment": "很满意"})
    log.refresh_from_db()
    assert (log.rating, log.rating_comment) == (4, "很满意")


def test_staff_of_another_district_gets_404(logged_in, own_pairing, other_district):
    other = UserFactory(staff=True, region=other_district)
    client = logged_in(other)
    assert client.get(reverse("agritech:pairing_detail", args=[own_pairing.pk])).status_code == 404
    assert client.get(reverse("agritech:village_detail", args=[own_pairing.village_id])).status_code == 404


def test_leader_views_but_cannot_change_pairings(logged_in, leader, own_pairing):
    client = logged_in(leader)
    assert client.get(reverse("agritech:pairing_detail", args=[own_pairing.pk])).status_code == 200
    resp = client.post(
        reverse("agritech:pairing_transition", args=[own_pairing.pk]), {"to_status": "terminated"}
    )
    assert resp.status_code == 404


def test_enterprise_user_has_no_agritech_pages(logged_in, enterprise_user):
    client = logged_in(enterprise_user)
    assert client.get(reverse("agritech:overview")).status_code == 403
    assert client.get(reverse("agritech:log_list")).status_code == 403


def test_commissioner_cannot_open_staff_pages(logged_in, commissioner_user):
    client = logged_in(commissioner_user)
    assert client.get(reverse("agritech:overview")).status_code == 403
    assert client.get(reverse("agritech:village_import")).status_code == 403
    assert client.get(reverse("agritech:evaluation")).status_code == 403

"""The 专家库 and review-panel pages: pool maintenance, invitation, the expert's own pages, answering a draw,
staff seeing the panel at once, 代录 with upload, the printable draw record, and the account form link."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.core.models import AuditEvent
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.notifications.models import Notification
from kechuang.programmes.models import Expert, ReviewAssignment
from kechuang.programmes.tests.conftest import expert_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
POINTS = {"p_ip": "20", "p_transfer": "20", "p_org": "10", "p_growth": "10"}


def test_staff_add_edit_suspend_and_invite_an_expert(client, staff, enterprise_user):
    employer = OrganisationFactory(name="山东理工大学")
    client.force_login(enterprise_user)
    assert client.get(reverse("programmes:expert_list")).status_code == 403
    client.force_login(staff)
    bad = client.post(
        reverse("programmes:expert_create"),
        {"name": "王敏", "phone": "123", "category": "technical", "employer": "不存在的单位"},
    )
    assert "请填写11位手机号码" in bad.content.decode() and "单位库中没有" in bad.content.decode()
    assert not Expert.objects.exists()
    client.post(
        reverse("programmes:expert_create"),
        {
            "name": "王敏",
            "phone": "13800000001",
            "email": "wm@example.cn",
            "category": "technical",
            "employer": "山东理工大学",
            "title": "教授",
            "fields_": "A01、A02",
        },
    )
    expert = Expert.objects.get()
    assert (expert.employer, expert.fields, expert.title) == (employer, ["A01", "A02"], "教授")
    page = client.get(reverse("programmes:expert_list")).content.decode()
    assert "王敏" in page and "无账户" in page
    url = reverse("programmes:expert_detail", args=[expert.pk])
    client.post(url, {"category": "finance", "title": "研究员", "employer": "", "fields_": "", "version": 1})
    expert.refresh_from_db()
    assert (expert.category, expert.title, expert.version) == ("finance", "研究员", 2)
    stale = client.post(
        url, {"category": "technical", "title": "x", "employer": "", "fields_": "", "version": 1}
    )
    assert "已被他人修改" in stale.content.decode()

    client.post(reverse("programmes:expert_action", args=[expert.pk, "invite"]))
    user = User.objects.get(person=expert.person)
    note = Notification.objects.get(user=user, kind="programmes.expert_invite")
    assert user.role == "expert" and user.email == "wm@example.cn" and "/accounts/invitation/" in note.url

    client.post(reverse("programmes:expert_action", args=[expert.pk, "suspend"]), {"reason": ""})
    expert.refresh_from_db()
    assert expert.is_active
    client.post(reverse("programmes:expert_action", args=[expert.pk, "suspend"]), {"reason": "本人申请退出"})
    expert.refresh_from_db()
    assert not expert.is_active and expert.suspended_reason == "本人申请退出"

    # the invitation link sets a password once
    client.logout()
    form = client.get(note.url)
    assert user.username in form.content.decode()
    client.post(note.url, {"new_password1": "Zb-8842-kechuang", "new_password2": "Zb-8842-kechuang"})
    user.refresh_from_db()
    assert user.check_password("Zb-8842-kechuang")
    assert client.get(note.url).status_code == 404  # used


def test_expert_confirms_profile_declares_conflicts_and_availability(client, expert_pool):
    expert = expert_pool[0]
    firm = OrganisationFactory(name="淄博某某科技有限公司")
    client.force_login(expert_user(expert))
    url = reverse("programmes:my_expert_profile")
    page = client.get(url, HTTP_USER_AGENT="Mobile")
    assert page.status_code == 200 and "利益冲突申报" in page.content.decode()
    bad = client.post(url, {"section": "conflicts", "organisations": "淄博某某科技有限公司\n查无此单位"})
    assert "单位库中没有：查无此单位" in bad.content.decode()
    assert not expert.conflicts.exists()
    client.post(url, {"section": "conflicts", "organisations": "淄博某某科技有限公司"})
    assert list(expert.conflicts.all()) == [firm]
    client.post(
        url,
        {
            "section": "profile",
            "title": "教授",
            "employer": "",
            "fields_": "A01",
            "phone": "13900000002",
            "email": "",
            "version": expert.version,
        },
    )
    expert.refresh_from_db()
    assert expert.profile_confirmed_at and expert.person.phone == "13900000002"
    wrong = client.post(
        url, {"section": "availability", "unavailable_from": "2020-06-10", "unavailable_until": "2020-06-01"}
    )
    assert "截止日期不能早于开始日期" in wrong.content.decode()
    client.post(
        url, {"section": "availability", "unavailable_from": "2020-06-01", "unavailable_until": "2020-06-10"}
    )
    expert.refresh_from_db()
    assert str(expert.unavailable_until) == "2020-06-10"
    # another expert's page is not reachable: staff pages are 404/403 for an expert
    assert client.get(reverse("programmes:expert_detail", args=[expert_pool[1].pk])).status_code == 404


def test_draw_panel_answer_replacement_proxy_and_print(client, accepted, staff, expert_pool, enterprise_user):
    client.force_login(staff)
    client.post(reverse("programmes:application_action", args=[accepted.pk, "draw"]))
    page = client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    assert "评审专家组" in page and "待确认" in page  # staff see the panel at once, before any score
    first = ReviewAssignment.objects.filter(application=accepted).order_by("pk").first()

    # the expert answers on their page: decline → a replacement is drawn
    client.force_login(expert_user(first.expert))
    task = client.get(reverse("programmes:review_score", args=[first.pk])).content.decode()
    assert "确认评审任务" in task
    client.post(
        reverse("programmes:review_respond", args=[first.pk]), {"answer": "decline", "reason": "外出开会"}
    )
    first.refresh_from_db()
    assert first.response == "declined" and hasattr(first, "replacement")
    # the firm never sees the panel
    client.force_login(enterprise_user)
    assert (
        "评审专家组"
        not in client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    )

    # staff 代录 for the replacement with the scanned sheet
    new = first.replacement.chosen
    client.force_login(staff)
    url = reverse("programmes:review_proxy", args=[new.pk])
    missing = client.post(url, POINTS)
    assert "扫描件" in missing.content.decode()
    client.post(url, {**POINTS, "comment": "纸质意见", "sheet": SimpleUploadedFile("sheet.pdf", PDF)})
    new.refresh_from_db()
    assert new.entered_by == staff and new.submitted_at
    detail = client.get(reverse("programmes:application_detail", args=[accepted.pk])).content.decode()
    assert "代录" in detail and "纸质意见" in detail  # overall comments shown to staff
    sheet_url = reverse("programmes:review_sheet", args=[new.pk, new.paper_sheet.uid])
    assert client.get(sheet_url).status_code == 200
    client.force_login(
        expert_user(expert_pool[-1]) if expert_pool[-1] != new.expert else expert_user(first.expert)
    )
    assert client.get(sheet_url).status_code == 404

    client.force_login(staff)
    record = client.get(reverse("programmes:draw_record", args=[accepted.pk])).content.decode()
    assert "评审专家抽取记录" in record and "专家谢绝" in record and "@media print" in record
    assert "首次抽取及1次补抽结果一致" in record
    client.force_login(enterprise_user)
    assert client.get(reverse("programmes:draw_record", args=[accepted.pk])).status_code == 404


def test_account_form_links_an_account_to_an_expert(client, expert_pool):
    admin = UserFactory(role="sysadmin")
    expert = expert_pool[0]
    client.force_login(admin)
    client.post(
        reverse("accounts:user_create"),
        {
            "username": "zj_new",
            "display_name": "新专家",
            "role": "enterprise",
            "expert": expert.pk,
            "password": "Zb-8842-kechuang",
        },
    )
    assert not User.objects.filter(username="zj_new").exists()  # only an expert account links to an expert
    client.post(
        reverse("accounts:user_create"),
        {
            "username": "zj_new",
            "display_name": "新专家",
            "role": "expert",
            "expert": expert.pk,
            "password": "Zb-8842-kechuang",
        },
    )
    user = User.objects.get(username="zj_new")
    assert user.person == expert.person
    page = client.get(reverse("accounts:user_edit", args=[user.pk])).content.decode()
    assert re.search(rf'<option value="{expert.pk}" selected>', page)
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_an_expert_account_without_a_pool_record_is_told_why_not_refused(client, db, staff):
    from kechuang.core.tests.factories import PersonFactory, UserFactory

    url = reverse("programmes:my_expert_profile")
    client.force_login(UserFactory(expert=True, person=PersonFactory()))
    page = client.get(url)
    assert page.status_code == 200 and "尚未关联专家库中的专家记录" in page.content.decode()
    client.force_login(staff)
    assert client.get(url).status_code == 403

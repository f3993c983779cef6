import json

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent, Region
from kechuang.core.tests.factories import UserFactory
from kechuang.programmes import services
from kechuang.programmes.models import Programme, ProgrammeType

from .conftest import FORM, RULES, SHEET

pytestmark = pytest.mark.django_db


def _programme_post(programme, **overrides):
    data = {
        "type": programme.type_id,
        "code": programme.code,
        "name": programme.name,
        "level": programme.level,
        "publicity_days": programme.publicity_days,
        "eligibility_check": "",
        "form_schema": json.dumps(FORM, ensure_ascii=False),
        "scoring_sheet": json.dumps(SHEET, ensure_ascii=False),
        "review_rules": json.dumps(RULES),
        "letter_template": "",
        "is_active": "on",
        "version": programme.version,
    }
    return {**data, **overrides}


def test_staff_edit_a_programme_and_the_change_is_audited(client, staff, programme):
    client.force_login(staff)
    url = reverse("programmes:programme_edit", args=[programme.pk])
    page = client.get(url).content.decode()
    assert "上年度销售收入（元）" in page  # JSON shown with Chinese characters, not \\u escapes
    response = client.post(url, _programme_post(programme, publicity_days=7, eligibility_check="tech_sme"))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (
        programme.publicity_days == 7 and programme.eligibility_check == "tech_sme" and programme.version == 2
    )
    event = AuditEvent.objects.get(action="programme.update")
    assert event.changes["publicity_days"] == [10, 7]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("form_schema", "[{'key': 'x'}", "不是有效的 JSON"),
        ("form_schema", '{"key": "x"}', "申报表字段应为列表"),
        ("form_schema", '[{"key": "x", "label": "X", "type": "colour"}]', "colour"),
        ("scoring_sheet", '[{"code": "ip", "label": "知识产权"}]', "max"),
        (
            "review_rules",
            '{"group_size": 2, "min_technical_share": 1, "min_finance": 1}',
            "评审组2人无法同时满足",
        ),
        ("letter_template", "{applicant:>99999999}", "且不能带格式说明"),
        ("letter_template", "{applicant.__class__}", "只能使用 {applicant}（申报主体）"),
    ],
)
def test_invalid_json_settings_get_chinese_errors_and_change_nothing(
    client, staff, programme, field, value, message
):
    client.force_login(staff)
    url = reverse("programmes:programme_edit", args=[programme.pk])
    response = client.post(url, _programme_post(programme, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    programme.refresh_from_db()
    assert programme.form_schema == FORM and programme.scoring_sheet == SHEET and programme.version == 1


def test_stale_edit_is_refused(client, staff, programme):
    client.force_login(staff)
    url = reverse("programmes:programme_edit", args=[programme.pk])
    client.post(url, _programme_post(programme, name="改名一"))
    response = client.post(url, _programme_post(programme, name="改名二"))  # still version 1
    assert "已被他人修改" in response.content.decode()
    programme.refresh_from_db()
    assert programme.name == "改名一"


def test_staff_create_a_programme_type_and_a_programme_in_their_region(client, staff, district):
    client.force_login(staff)
    response = client.post(
        reverse("programmes:programme_type_create"),
        {
            "code": "talent",
            "name": "英才计划",
            "applicant_kind": "person",
            "outcome_kind": "talent_award",
            "transition_key": "no_review",
            "decision_label": "入选",
        },
    )
    assert response.status_code == 302
    ptype = ProgrammeType.objects.get(code="talent")
    response = client.post(
        reverse("programmes:programme_create"),
        {
            "type": ptype.pk,
            "code": "yingcai-2020",
            "name": "周村英才计划",
            "level": "district",
            "publicity_days": 5,
            "eligibility_check": "",
            "form_schema": '[{"key": "bio", "label": "个人简介", "type": "text", "required": true}]',
            "scoring_sheet": "[]",
            "review_rules": "{}",
            "letter_template": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    programme = Programme.objects.get(code="yingcai-2020")
    assert programme.region == staff.region and programme.is_active is False
    page = client.get(reverse("programmes:config_list")).content.decode()
    assert "周村英才计划" in page and "英才计划" in page


def test_staff_of_another_district_cannot_edit_the_programme(client, programme):
    outsider = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    client.force_login(outsider)
    url = reverse("programmes:programme_edit", args=[programme.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _programme_post(programme, name="外区改名")).status_code == 404
    programme.refresh_from_db()
    assert programme.name == "高新技术企业认定"


def test_enterprise_and_leader_cannot_configure(client, programme, enterprise_user, leader):
    client.force_login(enterprise_user)
    assert client.get(reverse("programmes:config_list")).status_code == 403
    assert client.get(reverse("programmes:programme_create")).status_code == 403
    assert client.get(reverse("programmes:programme_type_edit", args=[programme.type_id])).status_code == 404
    client.force_login(leader)
    assert client.get(reverse("programmes:config_list")).status_code == 200
    assert client.get(reverse("programmes:programme_edit", args=[programme.pk])).status_code == 404
    assert client.get(reverse("programmes:programme_type_create")).status_code == 403


def test_service_refuses_an_outsider_and_unknown_fields(programme, staff):
    outsider = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    with pytest.raises(Exception, match="无权修改"):
        services.programme_update(actor=outsider, programme=programme, expected_version=1, name="x")
    with pytest.raises(Exception, match="不能修改的字段"):
        services.programme_update(actor=staff, programme=programme, expected_version=1, region=None)


def test_config_list_query_count(client, staff, programme, django_assert_max_num_queries):
    for i in range(5):
        services.programme_create(
            actor=staff, type=programme.type, code=f"p{i}", name=f"项目{i}", region=programme.region
        )
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("programmes:config_list")).status_code == 200


def test_letter_templates_are_filled_without_str_format():
    """Issue 25: user text never goes through str.format (a format spec could build a huge string)."""
    from kechuang.programmes import rules

    letter = rules.render_letter(
        "{applicant}：经评审，{result}。{applicant:>99999999}{applicant.__class__}{unknown}{{x}}",
        {"applicant": "方达电子", "result": "予以认定", "other": "不用"},
    )
    assert letter == "方达电子：经评审，予以认定。{applicant:>99999999}{applicant.__class__}{unknown}{{x}}"


def test_a_programme_with_a_format_spec_in_its_letter_is_refused_by_the_service(staff, programme):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="不支持的占位符"):
        services.programme_update(
            actor=staff,
            programme=programme,
            expected_version=programme.version,
            letter_template="{score:{score.__class__}}",
        )

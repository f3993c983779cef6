import datetime as dt

import pytest
from django.urls import reverse

from kechuang.core.models import Job
from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.enterprises.models import EnterpriseProfile, Qualification

from .factories import ProfileFactory, QualificationFactory, YearFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_firm_list_query_count_is_constant_as_rows_grow(client, staff, django_assert_max_num_queries):
    login(client, staff)
    url = reverse("enterprises:firm_list") + "?date=2020-11-30"

    def add(n):
        for _ in range(n):
            org = OrganisationFactory()
            QualificationFactory(organisation=org)
            QualificationFactory(organisation=org, tech_sme=True)

    add(2)
    with django_assert_max_num_queries(16) as small:
        client.get(url)
    add(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("高新技术企业") >= 27


def test_firm_list_query_count_is_the_same_at_50_and_200_rows_and_does_not_grow(client, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, staff)
    url = reverse("enterprises:firm_list") + "?date=2020-11-30&per_page="

    def add(n):
        for _ in range(n):
            org = OrganisationFactory()
            QualificationFactory(organisation=org)
            ProfileFactory(organisation=org)

    def counts():
        out = {}
        for size in (50, 200):
            client.get(url + str(size))  # the first request after login stamps the session
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url + str(size))
            assert response.status_code == 200
            out[size] = len(ctx.captured_queries)
        return out, response.content.decode()

    add(3)
    few, _ = counts()
    add(60)  # more than one page of 50
    many, page = counts()
    assert few[50] == few[200] == many[50] == many[200] <= 10, (few, many)
    assert page.count('href="/enterprises/') >= 63 and "共 63 条" in page


def test_firm_list_filters_by_name_tier_and_qualification(client, staff):
    hnte = OrganisationFactory(name="淄博高新甲有限公司")
    QualificationFactory(organisation=hnte)
    sme = OrganisationFactory(name="淄博小微乙有限公司")
    QualificationFactory(organisation=sme, tech_sme=True)
    login(client, staff)
    url = reverse("enterprises:firm_list")
    page = client.get(url, {"q": "高新甲", "date": "2020-11-30"}).content.decode()
    assert "淄博高新甲" in page and "小微乙" not in page
    page = client.get(url, {"tier": "1", "date": "2020-11-30"}).content.decode()
    assert "小微乙" in page and "高新甲" not in page
    page = client.get(url, {"qualification": "hnte", "date": "2020-11-30"}, headers={"HX-Request": "true"})
    assert "高新甲" in page.content.decode() and "<html" not in page.content.decode()


def test_firm_list_industry_filter_lists_the_active_industries_and_filters_by_one(client, staff):
    from django import forms

    from kechuang.core.models import DictItem, DictType
    from kechuang.enterprises.forms import FirmFilterForm

    kind = DictType.objects.get_or_create(code="industry", defaults={"name": "行业"})[0]
    chips = DictItem.objects.create(dict_type=kind, code="C39", name="电子<设备>制造业")
    DictItem.objects.create(dict_type=kind, code="C13", name="停用的行业", is_active=False)
    OrganisationFactory(name="电子企业甲", industry=chips)
    OrganisationFactory(name="其他企业乙")
    login(client, staff)
    page = client.get(reverse("enterprises:firm_list"), {"industry": chips.pk}).content.decode()
    assert "电子企业甲" in page and "其他企业乙" not in page
    assert f'<option value="{chips.pk}" selected>电子&lt;设备&gt;制造业</option>' in page
    assert "停用的行业" not in page

    # the same options, in the same order, as Django's own widget for the field would list
    form = FirmFilterForm(region=staff.region)
    field = form.fields["industry"]
    plain = forms.ModelChoiceField(queryset=field.queryset, empty_label=field.empty_label)
    django_choices = [(str(v), str(label)) for v, label in plain.choices]
    assert [(str(v), label) for v, label in field.widget.choices] == django_choices


def test_firm_list_is_region_scoped(client, other_district):
    OrganisationFactory(name="周村企业")
    city_staff_elsewhere = UserFactory(staff=True, region=other_district)
    page = login(client, city_staff_elsewhere).get(reverse("enterprises:firm_list")).content.decode()
    assert "周村企业" not in page


@pytest.mark.parametrize("role", ["expert", "commissioner", "sysadmin", "secadmin", "auditadmin"])
def test_other_roles_cannot_open_the_firm_list_ladder_or_pipeline(client, role):
    login(client, UserFactory(**{role: True}))
    for name in ("firm_list", "ladder", "pipeline"):
        assert client.get(reverse(f"enterprises:{name}")).status_code == 403


def test_enterprise_user_gets_404_for_another_firm_page_partial_and_api(client, enterprise_user):
    other = OrganisationFactory()
    login(client, enterprise_user)
    assert client.get(reverse("enterprises:firm_detail", args=[other.pk])).status_code == 404
    assert (
        client.get(
            reverse("enterprises:assessment", args=[other.pk]), headers={"HX-Request": "true"}
        ).status_code
        == 404
    )
    assert client.get(reverse("enterprises:profile_edit", args=[other.pk])).status_code == 404
    assert client.get(f"/api/enterprises/firms/{other.pk}").status_code == 404
    assert client.get(f"/api/enterprises/firms/{other.pk}/assessment").status_code == 404
    assert (
        client.get(reverse("enterprises:firm_detail", args=[enterprise_user.organisation_id])).status_code
        == 200
    )


def test_enterprise_user_cannot_record_or_revoke_qualifications(client, enterprise_user):
    q = QualificationFactory(organisation=enterprise_user.organisation)
    login(client, enterprise_user)
    assert client.get(reverse("enterprises:qualification_add", args=[q.organisation_id])).status_code == 403
    url = reverse("enterprises:qualification_revoke", args=[q.organisation_id, q.pk])
    assert client.post(url, {"revoked_on": "2020-06-01", "reason": "x"}).status_code == 404
    assert Qualification.objects.get(pk=q.pk).revoked_on is None


def test_leader_views_but_cannot_edit(client, leader, firm):
    login(client, leader)
    assert client.get(reverse("enterprises:firm_detail", args=[firm.pk])).status_code == 200
    assert client.get(reverse("enterprises:profile_edit", args=[firm.pk])).status_code == 404
    assert client.get(reverse("enterprises:qualification_add", args=[firm.pk])).status_code == 403
    assert client.get(reverse("enterprises:ladder")).status_code == 200


def test_my_enterprise_page_shows_self_assessment_with_numbers(client, enterprise_user):
    org = enterprise_user.organisation
    org.established_on = dt.date(2010, 1, 1)
    org.save()
    ProfileFactory(organisation=org)
    for year in (2017, 2018, 2019):
        YearFactory(organisation=org, year=year)
    page = (
        login(client, enterprise_user)
        .get(reverse("enterprises:mine"), {"date": "2020-11-30"})
        .content.decode()
    )
    assert "我的企业" in page
    assert "高新技术企业" in page and "科技型中小企业" in page
    assert "8.00%" in page  # R&D ÷ sales over three years, the number used
    assert "合格线 71 分" in page


def test_self_assessment_lists_missing_data(client, enterprise_user):
    page = login(client, enterprise_user).get(reverse("enterprises:mine")).content.decode()
    assert "缺少数据" in page


def test_non_enterprise_user_has_no_my_enterprise_page(client, staff):
    assert login(client, staff).get(reverse("enterprises:mine")).status_code == 404


def test_second_profile_edit_from_a_stale_form_is_refused(client, enterprise_user):
    org = enterprise_user.organisation
    login(client, enterprise_user)
    url = reverse("enterprises:profile_edit", args=[org.pk])
    base = {
        "ip_class1": 0,
        "ip_class2": 0,
        "standards_led": 0,
        "compliance_ok": "on",
        "catalogue_ok": "on",
        "version": 1,
    }
    assert client.post(url, {**base, "staff_count": 40}).status_code == 302
    response = client.post(url, {**base, "staff_count": 99})
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert EnterpriseProfile.objects.get(organisation=org).staff_count == 40


def test_enterprise_user_keeps_own_yearly_financials_current(client, enterprise_user):
    org = enterprise_user.organisation
    login(client, enterprise_user)
    response = client.post(
        reverse("enterprises:year_add", args=[org.pk]), {"year": 2019, "sales_revenue": "1000000"}
    )
    assert response.status_code == 302
    assert org.enterprise_years.get(year=2019).sales_revenue == 1000000


def test_staff_records_qualification_with_pattern_check(client, staff, firm):
    login(client, staff)
    url = reverse("enterprises:qualification_add", args=[firm.pk])
    kind_id = Qualification._meta.get_field("kind").related_model.objects.get(code="hnte").pk
    bad = client.post(url, {"kind": kind_id, "number": "GR2020", "valid_from": "2020-08-17"})
    assert "不符合高新技术企业编号格式" in bad.content.decode()
    assert not Qualification.objects.exists()
    good = client.post(url, {"kind": kind_id, "number": "GR202037005133", "valid_from": "2020-08-17"})
    assert good.status_code == 302
    assert Qualification.objects.get().valid_until == dt.date(2023, 8, 16)


def test_staff_revokes_a_qualification(client, staff):
    q = QualificationFactory()
    login(client, staff)
    url = reverse("enterprises:qualification_revoke", args=[q.organisation_id, q.pk])
    assert client.post(url, {"revoked_on": "2020-06-01", "reason": "未报年报"}).status_code == 302
    assert Qualification.objects.get(pk=q.pk).revoked_on == dt.date(2020, 6, 1)


def test_ladder_page_counts_and_drilldown(client, staff):
    QualificationFactory(valid_from=dt.date(2020, 8, 17))
    page = login(client, staff).get(reverse("enterprises:ladder"), {"date": "2020-11-30"}).content.decode()
    assert "本年升级（1 家）" in page
    assert "?tier=3&date=2020-11-30" in page


def test_pipeline_page_and_background_screening(client, staff, django_capture_on_commit_callbacks):
    org = OrganisationFactory(established_on=dt.date(2010, 1, 1))
    ProfileFactory(organisation=org)
    YearFactory(organisation=org, year=2019)
    QualificationFactory(valid_from=dt.date(2018, 11, 30))
    login(client, staff)
    page = client.get(reverse("enterprises:pipeline"), {"date": "2020-11-30"}).content.decode()
    assert "12个月内到期的高新技术企业证书（1 张）" in page
    assert org.name in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:screening_start") + "?date=2020-11-30")
    job = Job.objects.get(kind="enterprises.screening")
    assert response.url == reverse("core:job_status", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.progress == job.total == 2
    assert "共筛查 2 家企业" in job.message


def test_leader_cannot_start_screening(client, leader):
    assert login(client, leader).post(reverse("enterprises:screening_start")).status_code == 403
    assert not Job.objects.exists()


def test_export_of_filtered_list_is_xlsx_and_leader_may_export(client, leader):
    OrganisationFactory(name="=HYPERLINK(1)公司")
    response = login(client, leader).get(reverse("enterprises:firm_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_enterprise_user_cannot_export(client, enterprise_user):
    assert login(client, enterprise_user).get(reverse("enterprises:firm_export")).status_code == 403


def test_staff_sees_import_links_and_templates_download(client, staff):
    page = login(client, staff).get(reverse("enterprises:firm_list")).content.decode()
    assert reverse("core:import_upload", args=["qualifications"]) in page
    response = client.get(reverse("core:import_template", args=["qualifications"]))
    assert response.status_code == 200


def test_leader_sees_no_import_links(client, leader):
    page = login(client, leader).get(reverse("enterprises:firm_list")).content.decode()
    assert reverse("core:import_upload", args=["qualifications"]) not in page


def test_own_assessment_partial_renders_without_page_chrome(client, enterprise_user):
    url = reverse("enterprises:assessment", args=[enterprise_user.organisation_id])
    response = login(client, enterprise_user).get(url, {"date": "2020-11-30"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="assessment"' in body and "<html" not in body


def test_menu_entries_per_role(client, staff, enterprise_user):
    from kechuang.core.navigation import menu_for

    assert {"企业库", "梯次培育", "培育储备"} <= {e["label"] for e in menu_for(staff)}
    labels = {e["label"] for e in menu_for(enterprise_user)}
    assert "我的企业" in labels and "企业库" not in labels


def test_firm_detail_reads_the_region_ancestors_with_the_firm(client, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    org = OrganisationFactory()
    ProfileFactory(organisation=org)
    login(client, staff)
    url = reverse("enterprises:firm_detail", args=[org.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    region_reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "core_region"')]
    assert len(region_reads) <= 1, region_reads  # the user's own region, not one per ancestor of the town
    assert org.region.full_name() in page


def test_firm_list_town_filter_keeps_its_choice_and_refuses_a_town_outside_the_scope(client, staff, town):
    from kechuang.core.models import Region

    other_town = (
        Region.objects.filter(level=Region.Level.TOWN, parent=town.parent).exclude(pk=town.pk).first()
    )
    OrganisationFactory(name="本镇企业")
    OrganisationFactory(name="邻镇企业", region=other_town)
    login(client, staff)
    page = client.get(reverse("enterprises:firm_list"), {"town": town.pk}).content.decode()
    assert "本镇企业" in page and "邻镇企业" not in page
    assert f'<option value="{town.pk}" selected>{town.name}</option>' in page
    outside = Region.objects.exclude(path__startswith=staff.region.path).filter(level__gte=3).first()
    page = client.get(reverse("enterprises:firm_list"), {"town": outside.pk}).content.decode()
    assert (
        "本镇企业" in page and "邻镇企业" in page
    )  # an invalid filter shows the whole scope, not another one
    assert f'<option value="{outside.pk}"' not in page.split('name="town"')[1].split("</select>")[0]


def test_a_city_account_filters_by_district_or_town_and_a_district_account_by_town(
    client, district, other_district
):
    from kechuang.core.models import Region

    city = district.parent
    town = Region.objects.filter(parent=district, level=Region.Level.TOWN).first()
    OrganisationFactory(name="周村企业", region=town)
    OrganisationFactory(name="张店企业", region=other_district.children.first())
    login(client, UserFactory(staff=True, region=city))
    page = client.get(reverse("enterprises:firm_list")).content.decode()
    select = page.split('name="town"')[1].split("</select>")[0]
    assert "全部地区" in select and f'<option value="{district.pk}">{district.name}</option>' in select
    assert f'<option value="{town.pk}">\u3000{town.name}</option>' in select  # indented under its district
    assert select.index(f'value="{district.pk}"') < select.index(f'value="{town.pk}"')
    page = client.get(reverse("enterprises:firm_list"), {"town": district.pk}).content.decode()
    assert "周村企业" in page and "张店企业" not in page
    page = client.get(reverse("enterprises:firm_list"), {"town": town.pk}).content.decode()
    assert "周村企业" in page and "张店企业" not in page

    province = city.parent
    login(client, UserFactory(staff=True, region=province))
    select = client.get(reverse("enterprises:firm_list")).content.decode().split('name="town"')[1]
    select = select.split("</select>")[0]
    assert f'value="{city.pk}"' in select and f'value="{district.pk}"' in select
    assert f'value="{town.pk}"' not in select  # two levels: cities and districts

    login(client, UserFactory(staff=True, region=district))
    select = client.get(reverse("enterprises:firm_list")).content.decode().split('name="town"')[1]
    assert "全部镇街" in select and f'<option value="{town.pk}">{town.name}</option>' in select


def test_firm_list_rows_show_escaped_names_tiers_and_valid_qualifications(client, staff):
    from kechuang.core.models import DictItem, DictType

    industry = DictItem.objects.create(
        dict_type=DictType.objects.get_or_create(code="industry", defaults={"name": "行业"})[0],
        code="C39",
        name="计算机、通信<和>其他电子设备制造业",
    )
    hnte = OrganisationFactory(name='方达<电子> & "科技"', industry=industry)
    QualificationFactory(organisation=hnte)
    QualificationFactory(organisation=hnte, tech_sme=True)
    bare = OrganisationFactory(name="无代码企业", credit_code=None)
    login(client, staff)
    page = client.get(reverse("enterprises:firm_list") + "?date=2020-11-30").content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert rows.count("<tr>") == 2
    assert "方达&lt;电子&gt; &amp; &quot;科技&quot;" in rows and "计算机、通信&lt;和&gt;" in rows
    assert f'href="{reverse("enterprises:firm_detail", args=[hnte.pk])}"' in rows
    assert '<span class="badge text-bg-primary me-1">高新技术企业</span>' in rows
    bare_row = rows[rows.index(f'href="{reverse("enterprises:firm_detail", args=[bare.pk])}"') :]
    assert '<td class="font-monospace">—</td>' in bare_row and "<td>—</td>" in bare_row
    assert '<span class="badge text-bg-light">0 ' in bare_row


def test_the_firm_list_offers_new_firm_and_the_organisation_links_its_firm_page(client, staff, leader, firm):
    """Issue 27 item 4: 新增企业 where staff look for it; the 单位库 page links to the firm's record."""
    from django.urls import reverse

    client.force_login(staff)
    assert "＋ 新增企业" in client.get(reverse("enterprises:firm_list")).content.decode()
    page = client.get(reverse("core:organisation_detail", args=[firm.pk])).content.decode()
    assert reverse("enterprises:firm_detail", args=[firm.pk]) in page
    client.force_login(leader)
    assert "＋ 新增企业" not in client.get(reverse("enterprises:firm_list")).content.decode()


def test_the_firm_page_links_its_profile(client, staff, firm):
    from django.urls import reverse

    client.force_login(staff)
    page = client.get(reverse("enterprises:firm_detail", args=[firm.pk])).content.decode()
    assert reverse("insights:profile", args=[firm.pk]) in page

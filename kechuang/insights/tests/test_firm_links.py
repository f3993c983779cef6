"""Links between a firm's records (issue 27 item 4): a member of staff on the organisation page reaches the firm
page (企业画像, the firm's records in every module); the firm page lists and links its projects, applications and
vouchers; each of those pages links back to the firm page — and only for those who may open it."""

import re

import pytest
from django.urls import reverse

from kechuang.core.tests.factories import UserFactory
from kechuang.programmes.tests.conftest import call, programme  # noqa: F401 - the call's fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(district, town, call):  # noqa: F811 - the imported fixture
    """A firm with a plan project, an application to a call and an issued innovation voucher."""
    from kechuang.programmes import services as programmes
    from kechuang.programmes.tests.conftest import NOW
    from kechuang.projects.tests.factories import make_project
    from kechuang.vouchers.tests.conftest import eligible_firm, issued_voucher, make_programme

    staff = UserFactory(staff=True, region=district)
    firm = eligible_firm(region=town, name="链接样本科技有限公司")
    firm_user = UserFactory(enterprise=True, organisation=firm)
    application = programmes.application_create(
        actor=firm_user, call=call, organisation=firm, title="链接样本申报", field_code="A01", now=NOW
    )
    return {
        "staff": staff,
        "firm": firm,
        "firm_user": firm_user,
        "project": make_project(staff, unit=firm, name="链接样本项目"),
        "application": application,
        "voucher": issued_voucher(staff, make_programme(staff), firm=firm),
    }


def _links(html: str) -> set[str]:
    return set(re.findall(r'<a [^>]*href="([^"#?]+)', html))


def test_staff_go_from_the_organisation_to_the_firm_page_to_each_record_and_back(client, records):
    firm = records["firm"]
    client.force_login(records["staff"])
    firm_page = reverse("insights:profile", args=[firm.pk])
    organisation_page = client.get(reverse("core:organisation_detail", args=[firm.pk])).content.decode()
    assert firm_page in _links(organisation_page)
    response = client.get(firm_page)
    assert response.status_code == 200
    html = response.content.decode()
    targets = {
        "project": reverse("projects:project_detail", args=[records["project"].pk]),
        "application": reverse("programmes:application_detail", args=[records["application"].pk]),
        "voucher": reverse("vouchers:voucher_detail", args=[records["voucher"].pk]),
    }
    missing = {kind for kind, url in targets.items() if url not in _links(html)}
    assert not missing, f"the firm page does not link its {missing}"
    assert "链接样本项目" in html and "链接样本申报" in html and records["voucher"].number in html
    for kind, url in targets.items():
        page = client.get(url)
        assert page.status_code == 200, kind
        assert firm_page in _links(page.content.decode()), f"the {kind} page does not link back to the firm"


def test_no_link_back_to_a_firm_page_the_user_may_not_open(client, records, other_district):
    """Staff of another district get no link (the firm page would answer 404); the firm's own user does."""
    from kechuang.enterprises.selectors import firm_page_url

    firm, firm_page = records["firm"], reverse("insights:profile", args=[records["firm"].pk])
    assert firm_page_url(UserFactory(staff=True, region=other_district), firm) == ""
    assert firm_page_url(records["staff"], None) == ""
    client.force_login(records["firm_user"])
    assert client.get(firm_page).status_code == 200
    voucher_page = client.get(reverse("vouchers:voucher_detail", args=[records["voucher"].pk]))
    assert firm_page in _links(voucher_page.content.decode())
    client.force_login(UserFactory(leader=True, region=other_district))
    assert client.get(firm_page).status_code == 404

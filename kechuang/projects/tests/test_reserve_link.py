"""A reserve entry is linked to a plan project of the same firm only: the form offers only that firm's
projects, and the service refuses another firm's project with the two firms named."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core.tests.factories import OrganisationFactory
from kechuang.projects import rules, services
from kechuang.projects.models import ReserveProject
from kechuang.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db


def _applied(staff, firm):
    reserve = ReserveProject.objects.create(
        region=staff.region,
        title="氢能储运装备",
        organisation=firm,
        status="applied",
        year=2020,
        expected_investment=1000000,
    )
    return reserve


def test_only_the_same_firms_project_can_be_linked(client, staff, firm, town):
    reserve = _applied(staff, firm)
    other = make_project(staff, unit=OrganisationFactory(region=town, name="另一家公司"))
    own = make_project(staff, unit=firm)
    with pytest.raises(ValidationError, match="只能关联同一单位的项目"):
        services.reserve_transition(actor=staff, reserve=reserve, to="approved", project=other)
    reserve.refresh_from_db()
    assert reserve.status == "applied" and reserve.project is None

    client.force_login(staff)
    move = reverse("projects:reserve_move", args=[reserve.pk])
    page = client.get(move).content.decode()
    assert own.number in page and other.number not in page
    assert client.post(move, {"to": "approved", "project": other.pk}).status_code == 200  # not offered
    assert client.post(move, {"to": "approved", "project": own.pk}).status_code == 302
    reserve.refresh_from_db()
    assert reserve.project == own


def test_the_rule_names_both_firms():
    assert (
        rules.reserve_link_problem(reserve_firm_id=1, reserve_firm="甲", project_firm_id=1, project_firm="甲")
        == ""
    )
    message = rules.reserve_link_problem(
        reserve_firm_id=1, reserve_firm="甲", project_firm_id=2, project_firm="乙"
    )
    assert "“甲”" in message and "“乙”" in message

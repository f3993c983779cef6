"""The demo district's project figures as of 2020-11-30, read through the registered indicators."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core import indicators
from kechuang.core.models import Region
from kechuang.projects.models import Project, SupervisionCampaign
from kechuang.projects.selectors import campaign_coverage

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2020, 11, 30)


def test_demo_figures_hold_on_the_seed_date(demo):
    district = Region.objects.get(code="370306")
    scope = indicators.Scope(region=district, period=indicators.Period(2020), as_of=AS_OF)

    def figure(code):
        return indicators.compute(code, scope)

    assert figure("reserve_count").value == 15
    assert figure("school_city_projects").value == 21
    assert figure("school_city_out_of_city").value == 9
    # The 21 come from the programmes 校城融合 call through the outcome handler, not from this demo.
    school_city = Project.objects.filter(school_city=True, year=2020)
    assert school_city.count() == 21
    assert school_city.filter(application__isnull=False).count() == 21
    assert figure("projects_active").value > 21
    assert figure("project_funds_disbursed").value > Decimal("0")

    done = SupervisionCampaign.objects.get(name="2019年下半年项目督查")
    assert done.status == "closed" and campaign_coverage(done)["percent"] == Decimal("100.00")
    running = SupervisionCampaign.objects.get(name="2020年下半年项目督查")
    cov = campaign_coverage(running)
    assert running.status == "open" and 0 < cov["percent"] < 100
    assert figure("supervision_coverage").value == cov["percent"]
    assert figure("supervision_coverage").parts["campaign"] == running.name
    last_year = indicators.Scope(region=district, period=indicators.Period(2019), as_of=AS_OF)
    assert indicators.compute("supervision_coverage", last_year).value == Decimal("100.00")


def test_demo_shows_a_firms_acceptance_application_and_rectification_evidence(demo, client):
    from django.urls import reverse

    from kechuang.accounts.models import User
    from kechuang.projects.models import Finding

    staff = User.objects.get(username="staff")
    applied = Project.objects.get(acceptance_requested_on__isnull=False)
    firm = applied.undertaking_unit
    assert User.objects.filter(username__in=["qiye", "qiye2"], organisation=firm).exists()
    assert applied.status == "in_progress" and not applied.milestones.filter(status="open").exists()
    answered = Finding.objects.filter(
        item__project__undertaking_unit=firm, status="open", evidence__isnull=False
    ).distinct()
    assert answered.count() == 1 and "请督查人复核" in answered.get().follow_up
    assert Finding.objects.filter(status="closed", evidence__original_name="复查记录.pdf").exists()
    client.force_login(staff)
    page = client.get(reverse("projects:finding_follow_up", args=[answered.get().pk])).content.decode()
    assert "经费支出明细账.pdf" in page
    todo = client.get("/").content.decode()
    assert "验收申请待组织" in todo

"""Any-of groups (满足其一) end to end: built on the page, refused while a group has one member, matched,
explained to the firm, simulated, shown in the library and the calculator, copied by a revision."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.policies import rules
from kechuang.policies.models import Match
from kechuang.policies.services import policies as services
from kechuang.policies.services.matching import run_match
from kechuang.policies.services.simulate import simulate

from .conftest import TODAY, firm_with, rd_policy

D = Decimal
pytestmark = pytest.mark.django_db


def test_any_of_group_built_on_the_page_matched_and_explained(
    client, staff, district, town, enterprise_user, firm
):
    from kechuang.statistics.tests.factories import EnterpriseFactFactory

    policy, item = rd_policy(staff, district, publish=False)
    client.force_login(staff)
    url = reverse("policies:condition_add", args=[item.pk])
    client.post(
        url,
        {
            "kind": "fact",
            "save": "1",
            "field": "rd_hnte",
            "year_offset": 1,
            "op": "gte",
            "value": "100",
            "group": "new",
        },
    )
    with pytest.raises(ValidationError, match="只有一项"):
        services.policy_publish(actor=staff, policy=policy, on=TODAY)
    r = client.post(
        url, {"kind": "qualification", "save": "1", "qual_kind": "hnte", "mode": "valid", "group": "1"}
    )
    assert r.status_code == 302
    assert [c.group for c in item.conditions.order_by("position")] == [0, 0, 1, 1]
    detail = client.get(reverse("policies:policy_detail", args=[policy.pk])).content.decode()
    assert "适用条件（以下3项须全部满足）" in detail and "满足其一" in detail and "加入条件组1" in detail
    services.policy_publish(actor=staff, policy=policy, on=TODAY)

    EnterpriseFactFactory(
        organisation=firm, year=2019, rd_hnte=D(50), sales_revenue=D(1000), reported_on=dt.date(2020, 3, 1)
    )
    via_fact = firm_with(town, rd=150, sales=1000)  # 15 %: the first member holds
    via_cert = firm_with(town, rd=50, sales=1000, hnte=True)  # 5 %: the certificate holds
    run_match(on=TODAY)
    verdicts = dict(Match.objects.values_list("organisation_id", "verdict"))
    assert verdicts == {firm.pk: rules.NEAR, via_fact.pk: rules.ELIGIBLE, via_cert.pk: rules.ELIGIBLE}
    near = Match.objects.get(organisation=firm)
    assert near.summary.startswith("接近符合：满足其一即可：") and "需取得高新技术企业资质" in near.summary
    assert [p["kind"] for p in near.explanation["parts"]] == ["rd_ratio", "prior_awards", "any_of"]

    client.force_login(enterprise_user)
    mine = client.get(reverse("policies:mine")).content.decode()
    assert "满足其一" in mine and "需取得高新技术企业资质" in mine and "或</span>" in mine
    library = client.get(reverse("policies:library_detail", args=[policy.pk])).content.decode()
    assert "满足其一" in library and "持有有效的高新技术企业资质" in library
    calc = client.get(
        reverse("policies:calculator"),
        {"manual": "1", "town": town.pk, "sales_revenue": "1000", "rd_hnte": "50", "hnte": "on"},
    ).content.decode()
    assert "符合全部3项条件" in calc and "满足其一" in calc
    calc = client.get(
        reverse("policies:calculator"), {"manual": "1", "sales_revenue": "1000", "rd_hnte": "50"}
    ).content.decode()
    assert (
        "需取得高新技术企业资质" in calc
    )  # no certificate entered and 50 < 100: the group is what is missing

    sim = simulate(actor=staff, policy=policy, on=TODAY, region=district)
    assert sim.result["items"][0]["verdicts"]["eligible"] == 2
    draft = services.policy_revise(actor=staff, policy=policy)
    assert sorted(draft.items.get().conditions.values_list("group", flat=True)) == [0, 0, 1, 1]


def test_condition_add_refuses_an_unknown_group(staff, district):
    _, item = rd_policy(staff, district, publish=False)
    with pytest.raises(ValidationError) as err:
        services.condition_add(actor=staff, item=item, kind="engine", raw={"rule": "hnte"}, group=3)
    assert err.value.message_dict == {"group": ["该条件组不存在，请重新选择。"]}
    first = services.condition_add(actor=staff, item=item, kind="engine", raw={"rule": "hnte"}, group="new")
    second = services.condition_add(
        actor=staff, item=item, kind="engine", raw={"rule": "tech_sme"}, group="new"
    )
    assert (first.group, second.group) == (1, 2)

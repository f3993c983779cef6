"""Issue 25: a firm cannot rewrite its own master data (identity, region, kind, legal representative); it
keeps only its contact details current, through its own form and API schema. Staff correct the rest."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.accounts import services as account_services
from kechuang.core import services
from kechuang.core.models import AuditEvent, Organisation, Region
from kechuang.core.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _staff_form(org, **changes):
    data = {
        "name": org.name,
        "credit_code": org.credit_code,
        "kind": org.kind,
        "region": org.region_id,
        "address": org.address,
        "legal_representative": org.legal_representative,
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
        "in_city": "on",
        "version": org.version,
    }
    return data | changes


def test_enterprise_edit_page_offers_its_contact_details_only(client, enterprise_user, firm):
    client.force_login(enterprise_user)
    page = client.get(reverse("core:organisation_edit", args=[firm.pk]))
    assert page.status_code == 200
    fields = set(page.context["form"].fields)
    assert fields == {"address", "contact_name", "contact_phone", "version"}
    assert "张店区" not in page.content.decode()  # no region choices at all


def test_enterprise_cannot_move_its_firm_rename_it_or_change_its_kind_through_the_page(
    client, enterprise_user, firm, other_district
):
    client.force_login(enterprise_user)
    before = Organisation.objects.get(pk=firm.pk)
    response = client.post(
        reverse("core:organisation_edit", args=[firm.pk]),
        _staff_form(
            firm,
            name="改名后的企业",
            region=other_district.pk,
            kind="government",
            legal_representative="冒名",
            contact_phone="0533-1234567",
        ),
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert (firm.name, firm.region_id, firm.kind, firm.legal_representative) == (
        before.name,
        before.region_id,
        before.kind,
        before.legal_representative,
    )
    assert firm.contact_phone == "0533-1234567"  # what it may change, it did
    event = AuditEvent.objects.filter(action="organisation.update", object_id=str(firm.pk)).get()
    assert set(event.changes) == {"contact_phone"}


def test_the_service_refuses_identity_fields_for_an_enterprise_actor(enterprise_user, firm, other_district):
    for field, value in [
        ("name", "新名称"),
        ("region", other_district),
        ("kind", "government"),
        ("legal_representative", "某某"),
        ("credit_code", "91370303MA3C5DQX1A"),
    ]:
        with pytest.raises(ValidationError, match="科技局工作人员"):
            services.organisation_update(actor=enterprise_user, organisation=firm, **{field: value})
    firm.refresh_from_db()
    assert firm.region.code == "370306001" and firm.version == 1


def test_enterprise_cannot_edit_another_firm(client, enterprise_user, town):
    other = OrganisationFactory(region=town)
    client.force_login(enterprise_user)
    assert client.get(reverse("core:organisation_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("core:organisation_edit", args=[other.pk]), {}).status_code == 404


def test_staff_still_correct_the_identity_of_a_firm_in_their_region(client, staff, firm, town):
    client.force_login(staff)
    response = client.post(
        reverse("core:organisation_edit", args=[firm.pk]),
        _staff_form(firm, name="更正后的名称", legal_representative="李四"),
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert (firm.name, firm.legal_representative) == ("更正后的名称", "李四")


def test_api_patch_of_identity_is_staff_only_and_the_contact_schema_has_no_identity(
    client, enterprise_user, firm
):
    _token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    auth = {"Authorization": f"Bearer {key}"}
    response = client.patch(
        f"/api/core/organisations/{firm.pk}",
        data=json.dumps({"version": firm.version, "name": "改名", "legal_representative": "冒名"}),
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 403
    response = client.patch(
        f"/api/core/organisations/{firm.pk}/contact",
        data=json.dumps({"version": firm.version, "name": "改名", "contact_name": "王五"}),
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 200, response.content
    firm.refresh_from_db()
    assert firm.contact_name == "王五" and firm.name != "改名"
    schema = client.get("/api/openapi.json", headers=auth).json()["components"]["schemas"]
    assert set(schema["OrganisationContactPatch"]["properties"]) == {
        "version",
        "address",
        "contact_name",
        "contact_phone",
    }


def test_staff_of_another_district_cannot_patch_a_firm(client, firm):
    zd = UserFactory(staff=True, region=Region.objects.get(code="370303"))
    _token, key = account_services.api_token_create(actor=zd, user=zd, name="t")
    for path in (f"/api/core/organisations/{firm.pk}", f"/api/core/organisations/{firm.pk}/contact"):
        response = client.patch(
            path,
            data=json.dumps({"version": firm.version, "contact_name": "x"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert response.status_code == 404


def test_the_enterprise_firm_page_links_the_contact_form_and_profile(client, enterprise_user, firm):
    client.force_login(enterprise_user)
    page = client.get(reverse("enterprises:mine")).content.decode()
    assert reverse("core:organisation_edit", args=[firm.pk]) in page
    assert reverse("enterprises:profile_edit", args=[firm.pk]) in page


def test_enterprise_import_rights_do_not_come_from_reporting_its_own_figures(enterprise_user, firm):
    from kechuang.enterprises import permissions

    assert permissions.enterprises.allows(enterprise_user, "report", firm)
    assert not permissions.enterprises.allows(enterprise_user, "change", firm)


def _route(name):
    from kechuang.core.tests import idor

    route = next(r for r in idor.walk() if r.name == name)
    idor.infer_model(route)
    return route


def test_the_idor_probe_tries_the_firms_own_identity_on_organisation_routes(client, enterprise_user, firm):
    """The probe's own-identity step, on the route the audit found open (fast: no demo district)."""
    from kechuang.core.tests import idor

    route = _route("core:organisation_edit")
    assert route.model is Organisation and route.key == "pk"
    client.force_login(enterprise_user)
    findings = idor.Findings()
    idor.probe_own_identity(route, {"client": client, "org": firm, "user": enterprise_user}, findings)
    assert findings.probed == 1 and not findings.leaks and not findings.errors


def test_the_idor_probe_posts_to_edit_routes_as_another_district(client, staff, other_district):
    """The POST step on a foreign object: 周村区 staff on a 张店区 firm get 404 for GET and POST."""
    from kechuang.core.tests import idor

    OrganisationFactory(region=other_district)
    client.force_login(staff)
    findings = idor.Findings()
    idor.probe(_route("core:organisation_edit"), "staff", {"client": client, "user": staff}, findings)
    assert findings.probed >= 2 and not findings.leaks and not findings.errors

"""Mass assignment on the API (issue 11): fields outside the write schema are ignored, never applied."""

import json

import pytest

from kechuang.accounts import services as account_services
from kechuang.core.models import Region

pytestmark = pytest.mark.django_db


def test_enterprise_cannot_move_its_firm_or_change_its_credit_code_through_the_api(
    client, enterprise_user, firm
):
    _token, key = account_services.api_token_create(actor=enterprise_user, user=enterprise_user, name="t")
    other = Region.objects.get(code="370303")
    response = client.patch(
        f"/api/core/organisations/{firm.pk}",
        data=json.dumps(
            {
                "version": firm.version,
                "name": "改名后的企业",
                "region": other.pk,
                "region_id": other.pk,
                "credit_code": "X",
                "kind": "government",
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    firm.refresh_from_db()
    assert response.status_code in (200, 403, 422)
    assert firm.region.code == "370306001"
    assert firm.kind == "enterprise" and firm.credit_code != "X"

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kechuang.agritech import services
from kechuang.agritech.models import Pairing, PairingStatusChange
from kechuang.core.models import AuditEvent, Organisation
from kechuang.core.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _propose(actor, commissioner, village, proposed_by=Pairing.Side.SERVED):
    return services.pairing_propose(
        actor=actor,
        commissioner=commissioner,
        target_kind=Pairing.TargetKind.VILLAGE,
        village=village,
        proposed_by=proposed_by,
        field="果树",
        tasks="修剪指导",
        targets="培训50人次",
        term_start=dt.date(2020, 1, 1),
        term_end=dt.date(2020, 12, 31),
    )


def test_commissioner_proposal_waits_for_the_other_side(commissioner_user, own_commissioner, key_village):
    p = _propose(commissioner_user, own_commissioner, key_village, proposed_by=Pairing.Side.SERVED)
    assert p.proposed_by == Pairing.Side.COMMISSIONER  # a commissioner always speaks for their own side
    with pytest.raises(ValidationError, match="双向选择"):
        services.pairing_transition(actor=commissioner_user, pairing=p, to_status=Pairing.Status.ACTIVE)
    p.refresh_from_db()
    assert p.status == Pairing.Status.PROPOSED and not p.status_changes.exists()


def test_commissioner_accepts_a_villages_proposal(staff, commissioner_user, own_commissioner, key_village):
    p = _propose(staff, own_commissioner, key_village, proposed_by=Pairing.Side.SERVED)
    p = services.pairing_transition(
        actor=commissioner_user, pairing=p, to_status=Pairing.Status.ACTIVE, on=dt.date(2020, 3, 2)
    )
    assert p.status == Pairing.Status.ACTIVE and p.accepted_on == dt.date(2020, 3, 2)
    change = PairingStatusChange.objects.get(pairing=p)
    assert (change.from_status, change.to_status, change.actor) == ("proposed", "active", commissioner_user)
    assert AuditEvent.objects.filter(action="agritech.pairing_transition", object_id=str(p.pk)).exists()


def test_ended_pairing_cannot_be_reactivated(staff, own_pairing):
    services.pairing_transition(actor=staff, pairing=own_pairing, to_status=Pairing.Status.ENDED)
    with pytest.raises(ValidationError, match="不能从"):
        services.pairing_transition(actor=staff, pairing=own_pairing, to_status=Pairing.Status.ACTIVE)
    own_pairing.refresh_from_db()
    assert own_pairing.status == Pairing.Status.ENDED


def test_only_staff_mark_a_pairing_ended(commissioner_user, own_pairing):
    with pytest.raises(ValidationError, match="管理部门"):
        services.pairing_transition(
            actor=commissioner_user, pairing=own_pairing, to_status=Pairing.Status.ENDED
        )


def test_duplicate_open_pairing_is_refused(staff, own_commissioner, key_village):
    _propose(staff, own_commissioner, key_village)
    with pytest.raises(ValidationError, match="已有待确认或进行中"):
        _propose(staff, own_commissioner, key_village)


def test_pairing_with_cooperative_requires_a_cooperative(staff, own_commissioner, town):
    firm = OrganisationFactory(region=town, kind=Organisation.Kind.ENTERPRISE)
    with pytest.raises(ValidationError):
        services.pairing_propose(
            actor=staff,
            commissioner=own_commissioner,
            target_kind=Pairing.TargetKind.COOPERATIVE,
            organisation=firm,
            proposed_by="served",
            field="x",
            tasks="x",
            targets="x",
            term_start=dt.date(2020, 1, 1),
            term_end=dt.date(2020, 12, 31),
        )
    assert not Pairing.objects.exists()


def test_card_can_be_published_only_while_active(staff, own_commissioner, key_village):
    p = _propose(staff, own_commissioner, key_village)
    with pytest.raises(ValidationError, match="帮扶中"):
        services.pairing_set_card(actor=staff, pairing=p, published=True)

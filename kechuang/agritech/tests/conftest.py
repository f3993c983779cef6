import pytest

from kechuang.agritech.tests.factories import CommissionerFactory, PairingFactory, village
from kechuang.core.tests.factories import UserFactory


@pytest.fixture
def key_village(db):
    from kechuang.agritech.tests.factories import VillageFlagFactory

    v = village("370306100901", "李家村")
    VillageFlagFactory(village=v, year=2020)
    return v


@pytest.fixture
def other_village(db):
    return village("370306101902", "王家庄村", town="370306101")


@pytest.fixture
def commissioner_user(db):
    return UserFactory(commissioner=True)


@pytest.fixture
def own_commissioner(commissioner_user):
    return CommissionerFactory(person=commissioner_user.person)


@pytest.fixture
def own_pairing(own_commissioner, key_village):
    return PairingFactory(commissioner=own_commissioner, village=key_village)


@pytest.fixture
def others_pairing(other_village):
    return PairingFactory(village=other_village)

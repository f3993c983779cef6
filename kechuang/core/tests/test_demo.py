import pytest
from django.core.management import call_command

from kechuang.accounts.models import User
from kechuang.core import audit, rules
from kechuang.core.models import DemoLoad, Organisation
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_builds_every_module_once_with_valid_codes_and_an_intact_audit_chain(demo, capsys):
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert all(
        rules.check_credit_code(o.credit_code).ok for o in Organisation.objects.exclude(credit_code=None)
    )
    loaded = DemoLoad.objects.count()
    call_command("demo")  # a second run is a no-op
    assert DemoLoad.objects.count() == loaded
    assert "未做改动" in capsys.readouterr().out
    assert audit.verify().ok

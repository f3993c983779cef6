"""Test helper: take a draft through 拟稿 → 核稿 → 签发 with three different people of its bureau."""

from __future__ import annotations

from kechuang.core.tests.factories import UserFactory
from kechuang.reports import signoff


def sign_off(draft, drafter, *, on, checker=None, signer=None):
    checker = checker or UserFactory(staff=True, region=draft.region)
    signer = signer or UserFactory(leader=True, region=draft.region)
    draft.refresh_from_db()
    signoff.draft_submit(actor=drafter, draft=draft, version=draft.version)
    signoff.draft_check(actor=checker, draft=draft, version=draft.version, comment="数字已核。")
    return signoff.draft_sign(actor=signer, draft=draft, version=draft.version, on=on)

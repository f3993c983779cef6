"""Staff are told a redemption awaits review, and the second approver that a payout awaits (issue 24.2)."""

import pytest

from kechuang.notifications.models import Notification
from kechuang.vouchers import services

from .conftest import delivered_voucher, submit

pytestmark = pytest.mark.django_db


def test_review_and_four_eyes_payout_reach_the_right_staff(
    staff, staff2, programme, enterprise_user, django_capture_on_commit_callbacks
):
    voucher = delivered_voucher(staff, programme)
    with django_capture_on_commit_callbacks(execute=True):
        redemption = submit(staff, voucher, "50000")
    key = f"vouchers.redemption:{redemption.pk}"
    to_review = Notification.objects.filter(object_key=key, reason="to_review")
    assert {n.user for n in to_review} == {staff, staff2}
    assert to_review[0].title == f"兑付申请待审核：{voucher.number}（50,000.00元）"
    services.redemption_review(actor=staff2, redemption=redemption, approve=True, on=redemption.submitted_on)
    with django_capture_on_commit_callbacks(execute=True):
        services.redemption_request_payout(actor=staff, redemption=redemption)
    # The requester cannot approve their own payout, so only the other staff member is asked to.
    payout = Notification.objects.filter(object_key=key, reason="payout_approve")
    assert [n.user for n in payout] == [staff2]
    assert payout[0].title.startswith("拨付待复核")
    assert not Notification.objects.filter(user=enterprise_user, kind="vouchers.task").exists()


def test_the_notice_is_settled_for_everyone_once_someone_did_the_step(staff, staff2, programme):
    redemption = submit(staff, delivered_voucher(staff, programme), "50000")
    assert Notification.objects.filter(reason="to_review", read_at__isnull=True).count() == 2
    services.redemption_review(actor=staff2, redemption=redemption, approve=True, on=redemption.submitted_on)
    assert not Notification.objects.filter(reason="to_review", read_at__isnull=True).exists()
    services.redemption_request_payout(actor=staff, redemption=redemption)
    services.redemption_pay(actor=staff2, redemption=redemption, on=redemption.submitted_on)
    assert not Notification.objects.filter(reason="payout_approve", read_at__isnull=True).exists()

import datetime as dt

import pytest

from kechuang.notifications import rules


def test_receipts_must_be_signed_and_fresh():
    body = b'{"message_id": "1"}'
    sig = rules.body_signature("k", "1000", body)
    assert rules.receipt_valid("k", "1000", sig, body, now=1200)
    assert not rules.receipt_valid("k", "1000", sig, body, now=1400)  # older than 5 minutes: a replay
    assert not rules.receipt_valid("k", "1000", sig, body + b" ", now=1000)
    assert not rules.receipt_valid("other", "1000", sig, body, now=1000)
    assert not rules.receipt_valid("k", "soon", sig, body, now=1000)


def test_backoff_grows_then_stays_and_gives_up_at_the_limit():
    start = dt.datetime(2020, 11, 30, 9, 0)
    waits = [(rules.next_try(start, n) - start).total_seconds() / 60 for n in range(1, 8)]
    assert waits == [1, 5, 15, 60, 240, 240, 240]
    assert not rules.gives_up(4, 5) and rules.gives_up(5, 5)


def test_sms_templates_are_parsed_and_fall_back_to_the_default():
    templates = rules.parse_templates("default=SMS_1, vouchers.task=SMS_2")
    assert rules.sms_template(templates, "vouchers.task") == "SMS_2"
    assert rules.sms_template(templates, "digest") == "SMS_1"
    assert rules.sms_template({}, "digest") is None
    with pytest.raises(ValueError, match="类别=模板编号"):
        rules.parse_templates("SMS_1")


def test_texts_fit_the_providers_limits():
    assert rules.sms_params("拨付待复核：" + "很长的券号" * 10) == {
        "title": ("拨付待复核：" + "很长的券号" * 10)[:29] + "…"
    }
    text = rules.chat_text("标题", "正文" * 2000, "https://kc.example.gov.cn/p/1/")
    assert len(text.encode()) <= 2000 and text.startswith("【科创】标题\n")

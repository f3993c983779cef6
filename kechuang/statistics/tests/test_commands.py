import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from kechuang.core import indicators
from kechuang.statistics.models import SubmissionDeadline

from .factories import EnterpriseFactFactory, RegionFactFactory


def test_indicators_command_prints_every_registered_indicator_as_json(district):
    EnterpriseFactFactory(with_rd=True, rd_internal=Decimal("637"), estimate=True)
    RegionFactFactory(region=district, gdp=Decimal("23080"))
    out = io.StringIO()
    call_command("indicators", region="370306", period="2020", as_of="2020-11-30", format="json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["region"] == "370306" and payload["as_of"] == "2020-11-30"
    codes = [item["code"] for item in payload["indicators"]]
    assert codes == [i.code for i in indicators.all_indicators()]
    by_code = {item["code"]: item for item in payload["indicators"]}
    assert by_code["rd_intensity"] == {
        **by_code["rd_intensity"],
        "value": "2.76",
        "unit": "%",
        "status": "estimate",
    }
    assert by_code["rd_total"]["parts"]["亿元"] == "0.06"
    assert by_code["rd_firm_count"]["definition"]


def test_indicators_command_table_format_and_bad_input(district):
    out = io.StringIO()
    call_command("indicators", region="370306", period="2020", as_of="2020-11-30", stdout=out)
    assert "rd_intensity" in out.getvalue()
    with pytest.raises(CommandError, match="区划代码"):
        call_command("indicators", region="999999", period="2020")
    with pytest.raises(CommandError, match="统计期"):
        call_command("indicators", region="370306", period="2020-13")


def test_stats_remind_command_notifies_missing_firms(district, enterprise_user):
    from kechuang.notifications.models import Notification

    SubmissionDeadline.objects.create(region=district, year=2020, month=10, due_on=dt.date(2020, 11, 15))
    out = io.StringIO()
    call_command("stats", "remind", period="2020-10", stdout=out)
    assert "已提醒" in out.getvalue()
    assert Notification.objects.filter(user=enterprise_user, kind="statistics.reminder").exists()


def test_stats_remind_without_a_deadline_says_so(db):
    with pytest.raises(CommandError, match="没有设置"):
        call_command("stats", "remind", period="2020-10")

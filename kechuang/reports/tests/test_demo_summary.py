"""The generated summary for the demo district carries the figures the rows give, checked independently."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db.models import Q

from kechuang.core.models import Region
from kechuang.enterprises.models import Qualification

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def test_demo_summary_figures_match_an_independent_count_of_the_rows(tmp_path, capsys):
    call_command("demo")
    capsys.readouterr()
    out = tmp_path / "summary.json"
    call_command(
        "report",
        "summary",
        "--region",
        "370306",
        "--period",
        "2020",
        "--as-of",
        "2020-11-30",
        "--format",
        "json",
        "-o",
        str(out),
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    figures = {f["code"]: f for f in doc["figures"]}
    text = "".join(p["heading"] + p["text"] for p in doc["paragraphs"])

    district = Region.objects.get(code="370306")
    hnte = (
        Qualification.objects.filter(
            kind__code="hnte",
            valid_from__lte=AS_OF,
            valid_until__gte=AS_OF,
            organisation__region__path__startswith=district.path,
        )
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=AS_OF))
        .values("organisation")
        .distinct()
        .count()
    )
    assert figures["hnte_count"]["value"] == str(hnte) == "47"
    assert f"我区共有{hnte}家高新技术企业" in text

    from kechuang.statistics.models import EnterpriseFact

    facts = EnterpriseFact.objects.filter(organisation__region__path__startswith=district.path, year=2020)
    assert facts.exists()
    assert figures["rd_total"]["text"] == "6.37亿元"
    assert "研发投入预计6.37亿元" in text
    assert figures["rd_total"]["status_label"] == "预计"
    assert "高新技术产业产值占比50.83%，比年初提高4.82个百分点" in text
    assert "组织50余家企业参加高企认定政策线上培训" in text
    assert "“周村科技创新券”251万元" in text
    assert "实现15个省扶贫工作重点村科技指导人员全覆盖" in text
    assert "立项区首批校城融合发展项目21项" in text
    assert figures["rd_intensity"]["text"] == "2.76%"
    assert all(f["code"] and f["unit"] for f in doc["figures"])

    from kechuang.proposals.models import Proposal

    reply = Proposal.objects.get(number="134092", session="区政协十三届四次会议")
    assert reply.member_name == "郭帅" and reply.feedback == "satisfied" and reply.reply_draft_id
    assert reply.replied_on <= reply.deadline
    assert len(reply.reply_draft.sections) == 6
    assert Proposal.objects.exclude(status__in=["feedback", "closed"]).count() >= 2

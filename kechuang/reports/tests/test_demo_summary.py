"""The generated summary for the demo district carries the figures the rows give, checked independently."""

import datetime as dt
import json
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db.models import Q

from kechuang.core.models import Region
from kechuang.enterprises.models import Qualification

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def test_demo_summary_figures_match_an_independent_count_of_the_rows(demo, tmp_path, capsys, screenshot_dir):
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
    assert re.search(r"高新技术产业产值占比(预计)?50\.83%(（..数）)?，比年初提高4\.82个百分点", text)
    from kechuang.programmes.models import TrainingParticipant

    trained = (  # the firms of the HNTE trainings themselves, as the sentence says
        TrainingParticipant.objects.filter(
            attended=True,
            training__region__path__startswith=district.path,
            training__topic__contains="高企",
            training__held_on__year=2020,
            training__held_on__lte=AS_OF,
        )
        .values("organisation")
        .distinct()
        .count()
    )
    assert trained >= 50
    assert f"组织{trained // 10 * 10}余家企业参加" in text
    assert "“周村科技创新券”251万元" in text
    assert "实现15个省扶贫工作重点村科技指导人员全覆盖" in text
    assert "立项校城融合发展项目21项" in text
    assert figures["rd_intensity"]["text"] == "2.76%"

    from kechuang.programmes.models import Application

    batch1 = Application.objects.filter(
        call__programme__code="hnte-2020",
        call__name="2020年第一批",
        call__region__path__startswith=district.path,
    )
    applied = batch1.exclude(status__in=["draft", "withdrawn"]).filter(submitted_at__isnull=False).count()
    publicised = batch1.filter(publicity__isnull=False, status__in=["in_publicity", "approved"]).count()
    assert (applied, publicised) == (16, 14)
    assert f"组织{applied}家企业进行高企（第一批）认定申报工作，现认定公示{publicised}家" in text
    parts = {(f["code"], f["part"]): f for f in doc["figures"] if f["part"]}
    assert parts["programme_applications", "hnte-2020/2020年第一批"]["value"] == "16"
    assert all(f["code"] and f["unit"] for f in doc["figures"] if f["source"] == "indicator")
    assert all(f["scope"]["as_of"] for f in doc["figures"])

    from kechuang.proposals.models import Proposal

    reply = Proposal.objects.get(number="134092", session="区政协十三届四次会议")
    assert reply.member_name == "郭帅" and reply.feedback == "satisfied" and reply.reply_draft_id
    assert reply.replied_on <= reply.deadline
    parts = [s for s in reply.reply_draft.sections if s["key"].startswith("item-")]
    assert len(parts) == reply.items.count() == 6  # one answering part per request
    assert Proposal.objects.exclude(status__in=["feedback", "closed"]).count() >= 2
    # A reply in each stage of the sign-off; the replied one was signed, which gave it its 文号.
    assert reply.reply_draft.stage == "signed" and reply.reply_number == "周科函〔2020〕1号"
    assert reply.reply_draft.signed.issuer_name == "刘志强"
    stages = set(Proposal.objects.exclude(reply_draft=None).values_list("reply_draft__stage", flat=True))
    assert {"drafting", "checking", "signed"} <= stages

    _pdf_of_the_demo_summary(tmp_path, capsys, screenshot_dir)


def _pdf_of_the_demo_summary(tmp_path, capsys, screenshot_dir):
    """`--format pdf` through LibreOffice: A4 pages, page 1 rendered to PNG for a person to look at."""
    from kechuang.reports.docx_layout import office_binary

    if office_binary() is None or not shutil.which("pdftoppm"):
        pytest.skip("LibreOffice / poppler not installed: the PDF part of this check needs them")
    pdf = tmp_path / "summary.pdf"
    args = ["summary", "--region", "370306", "--period", "2020", "--as-of", "2020-11-30"]
    call_command("report", *args, "--format", "pdf", "-o", str(pdf))
    capsys.readouterr()
    assert pdf.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S607
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4 = 210 × 297 mm
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout  # noqa: S607
    assert "我区共有47家高新技术企业" in text.replace(" ", "").replace("\n", "")
    assert "—1—" in text.replace(" ", "")  # the page number field rendered as "— 1 —"
    png = screenshot_dir / "reports-demo-summary-page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)], check=True
    )  # noqa: S607
    assert png.with_suffix(".png").stat().st_size > 10_000

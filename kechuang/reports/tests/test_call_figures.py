"""The seed's HNTE batch figures ("组织16家企业…申报，现认定公示14家") are computed per call from the
programme records, and regenerating a draft picks up (and flags) a change in those records."""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.core.tests.factories import OrganisationFactory, UserFactory
from kechuang.programmes.models import Application, Call, Programme, ProgrammeType, PublicityPeriod
from kechuang.reports import services, summary

pytestmark = pytest.mark.django_db
KEY = "hnte-2020/2020年第一批"


def _at(day: str):
    return timezone.make_aware(dt.datetime.fromisoformat(day + "T10:00"))


@pytest.fixture
def batches(district, town):
    """Batch 1 with 5 applications (one still a draft, one withdrawn), 2 of them in 公示; batch 2 with 1."""
    user = UserFactory(staff=True)
    ptype = ProgrammeType.objects.create(
        code="hnte",
        name="高新技术企业认定",
        applicant_kind="enterprise",
        outcome_kind="qualification",
        region=district,
    )
    programme = Programme.objects.create(
        type=ptype, code="hnte-2020", name="高新技术企业认定", region=district
    )
    first, second = (
        Call.objects.create(
            programme=programme, name=name, opens_at=_at(a), closes_at=_at(b), region=district
        )
        for name, a, b in (
            ("2020年第一批", "2020-04-10", "2020-06-30"),
            ("2020年第二批", "2020-11-02", "2020-12-31"),
        )
    )
    publicity = PublicityPeriod.objects.create(
        call=first,
        title="2020年第一批高新技术企业认定公示",
        starts_on=dt.date(2020, 11, 23),
        ends_on=dt.date(2020, 12, 4),
        working_days=10,
        published_at=_at("2020-11-23"),
        published_by=user,
    )

    def apply(call, status, day="2020-05-12", **extra):
        return Application.objects.create(
            call=call,
            organisation=OrganisationFactory(region=town),
            title="高企认定申报",
            status=status,
            submitted_at=None if status == "draft" else _at(day),
            created_by=user,
            **extra,
        )

    S = Application.Status
    apps = [
        apply(first, S.IN_PUBLICITY, publicity=publicity),
        apply(first, S.IN_PUBLICITY, publicity=publicity),
        apply(first, S.UNDER_REVIEW),
        apply(first, S.DRAFT),
        apply(first, S.WITHDRAWN),
        apply(second, S.SUBMITTED, day="2020-11-10"),
    ]
    return {"first": first, "second": second, "publicity": publicity, "apps": apps, "apply": apply}


def _independent(first):
    submitted = Application.objects.filter(call=first, submitted_at__isnull=False).exclude(
        status__in=["draft", "withdrawn"]
    )
    publicised = Application.objects.filter(
        call=first, publicity__isnull=False, status__in=["in_publicity", "approved"]
    )
    return submitted.count(), publicised.count()


def _batch_sentence(draft):
    for section in draft.sections:
        for block in section["blocks"]:
            if block["kind"] == "computed" and any(f.get("part") == KEY for f in block["figures"]):
                return block
    raise AssertionError("no sentence quotes the first HNTE batch")


def test_batch_figures_are_computed_per_call_and_follow_the_records(staff, template, scope, batches):
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    block = _batch_sentence(draft)
    applied, publicised = _independent(batches["first"])
    assert (applied, publicised) == (3, 2)
    text = summary.block_text(block)
    assert f"组织{applied}家企业进行高企（第一批）认定申报工作，现认定公示{publicised}家" in text
    figures = {f["code"]: f for f in block["figures"] if f.get("part") == KEY}
    assert figures["programme_applications"]["value"] == "3"
    assert figures["programme_publicised"]["name"] == f"进入公示（拟认定/立项）数（{KEY}）"

    # A record changes: one more firm of the first batch enters 公示 (its review passed).
    reviewed = batches["apps"][2]
    reviewed.status, reviewed.publicity = Application.Status.IN_PUBLICITY, batches["publicity"]
    reviewed.save()
    draft.refresh_from_db()
    services.draft_regenerate(actor=staff, draft=draft, version=draft.version)
    draft.refresh_from_db()
    block = _batch_sentence(draft)
    assert _independent(batches["first"]) == (3, 3)
    assert "现认定公示3家" in summary.block_text(block)
    assert block["changed"] is True and "2" in block["previous"]


def test_the_second_batch_and_the_period_are_kept_apart(scope, batches):
    from kechuang.core import indicators

    value = indicators.compute("programme_applications", scope)
    assert value.parts == {KEY: 3, "hnte-2020/2020年第二批": 1}
    assert value.value == 4
    early = indicators.compute(
        "programme_publicised", scope.__class__(scope.region, scope.period, dt.date(2020, 11, 22))
    )
    assert early.parts == {} and early.value == 0


def test_a_missing_call_is_shown_not_invented(scope, db):
    source = summary.FigureSource(scope)
    fig = summary.figure(source, "programme_applications", "", "nosuch/2099年第九批")
    assert fig["missing"] and "无分项" in fig["text"]

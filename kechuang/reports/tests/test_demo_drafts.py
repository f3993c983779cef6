"""Golden drafts on the two demo districts (周村区 in the seed reply's style, 张店区 with the neutral default)
and the city: every figure equals its indicator, the words follow the numbers, nothing is written from empty
data, an event carries its own dates and amounts, and no bureau gets another's text."""

import datetime as dt
import re

import pytest

from kechuang.core import indicators
from kechuang.core.indicators import Period, Scope
from kechuang.core.models import Region
from kechuang.reports import claims, drafting, summary, wording
from kechuang.reports.seed import ensure_seed_template

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2020, 11, 30)


def _draft(code):
    region = Region.objects.get(code=code)
    scope = Scope(region, Period(2020), AS_OF)
    template = ensure_seed_template(region)
    doc = summary.build(template, scope)
    text = "".join(h + b for h, b in summary.paragraphs(doc))
    return scope, template, doc, text


def _figures_equal_indicators(doc):
    n = 0
    for fig in summary.all_figures(doc["sections"]):
        if fig.get("source") != "indicator":
            continue
        value = indicators.compute(fig["code"], drafting.scope_from(fig["scope"], None))
        raw = value.parts.get(fig["part"]) if fig["part"] else value.value
        assert fig["value"] == (None if raw is None else str(raw)), fig["code"]
        n += 1
    return n


def _words_follow_numbers(text, scope):
    own = indicators.compute("rd_intensity", scope).value
    city = indicators.compute("rd_intensity_city", scope).value
    found = wording.compare(own, city)
    if found is not None and found.word != "持平":
        assert f"{found.word}全市{wording._dec(city)}%的平均水平" in text
    change = wording.change(indicators.compute("hightech_output_share_change", scope).value)
    if change is not None and change.word != "持平":
        assert f"比年初{change.word}{change.gap}个百分点" in text
    assert "提高-" not in text and "提高0.00" not in text
    sup = indicators.compute("supervision_coverage", scope)
    if sup.value is not None and sup.parts["inspected"] < sup.parts["in_scope"]:
        assert "无例外" not in text
        assert f"覆盖{sup.parts['inspected']}/{sup.parts['in_scope']}个项目" in text
    assert not re.search(r"(?<![\d./])0(家|处|项|个|名|人次)", text), text
    assert "〔" not in text and "None" not in text


def test_demo_districts_golden_drafts(demo):
    zc_scope, zc_template, zc_doc, zc = _draft("370306")
    zd_scope, zd_template, zd_doc, zd = _draft("370303")
    city_scope, city_template, city_doc, city = _draft("370300")

    assert zc_template.style == "seed" and zd_template.style == "plain" and city_template.style == "plain"
    assert zd_template.signature == "张店区科学技术局" and city_template.signature == "淄博市科学技术局"
    assert _figures_equal_indicators(zc_doc) > 20 and _figures_equal_indicators(zd_doc) > 5
    _figures_equal_indicators(city_doc)
    for text, scope in ((zc, zc_scope), (zd, zd_scope), (city, city_scope)):
        _words_follow_numbers(text, scope)
    assert "周村" not in zd  # the city's draft covers 周村区's records too; its template names no district
    assert "我市" in city and "周村" not in str(city_template.section_data()) + city_template.title
    assert "““" not in zc + zd + city and "全年签订" not in zc  # all of 周村's agreements were at its event

    # 周村区 reads as the seed where its records say what the seed says.
    assert "截至目前，我区共有47家高新技术企业，89家企业纳入科技部科技型中小企业信息库管理" in zc
    assert "研发投入预计6.37亿元，研发占比预计达到2.76%，高于全市2.63%的平均水平0.13个百分点" in zc
    assert "组织16家企业进行高企（第一批）认定申报工作，现认定公示14家" in zc
    assert "一、加快高新产业发展，培育科技创新的“主力军”。一是注重高企培育" in zc

    # An event's sentence carries its own dates; the year's voucher total is not attached to them.
    from kechuang.cooperation.models import Event

    paid = summary.figure(summary.FigureSource(zc_scope), "vouchers_and_funds_paid", "")["text"]
    for event in Event.objects.filter(region__path__startswith=zc_scope.region.path, starts_on__year=2020):
        sentence = next(s for s in re.split("。", zc) if event.name in s)
        assert f"{event.starts_on.month}月{event.starts_on.day}" in sentence
        assert paid not in sentence

    for scope, doc in ((zc_scope, zc_doc), (zd_scope, zd_doc)):
        report = claims.check(doc["sections"], scope)
        assert report.ok, report.messages()

"""core.tables: capped counting pagination, the template-free select and row cells."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils.safestring import mark_safe

from kechuang.core.models import Region
from kechuang.core.tables import Column, FastSelect, ValuesChoices, build_table, cell_text, url_for
from kechuang.core.tests.factories import OrganisationFactory

COLUMNS = [Column("name", "名称", "name")]


def _table(params, **kwargs):
    from kechuang.core.models import Organisation

    request = RequestFactory().get("/x/", params)
    qs = Organisation.objects.filter(name__startswith="分页")
    return build_table(request, qs, COLUMNS, default_sort="name", **kwargs)


@pytest.mark.django_db
def test_capped_count_stops_at_the_cap_and_keeps_the_next_page_reachable(django_assert_num_queries):
    for n in range(35):
        OrganisationFactory(name=f"分页{n:02d}")
    with django_assert_num_queries(1) as ctx:  # the count; the rows are read when shown
        table = _table({"per_page": "10"}, count_cap=10)
    assert table.page.paginator.count == 20  # the requested page and the next, not all 35
    assert "LIMIT 21" in ctx.captured_queries[0]["sql"]
    assert table.page.paginator.capped and table.page.has_next()
    html = render_to_string("components/pagination.html", {"table": table})
    assert "超过 20 条" in html and "下一页" in html and "/ 2 页" not in html

    table = _table({"per_page": "10", "page": "3"}, count_cap=10)  # past the cap: counts further
    assert [o.name for o in table.rows] == [f"分页{n}" for n in range(20, 30)]
    assert table.page.has_next() and table.page.has_previous()

    table = _table({"per_page": "10", "page": "4"}, count_cap=10)  # the real last page: exact again
    assert [o.name for o in table.rows] == [f"分页{n}" for n in range(30, 35)]
    assert table.page.paginator.count == 35 and not table.page.paginator.capped
    assert not table.page.has_next()
    html = render_to_string("components/pagination.html", {"table": table})
    assert "共 35 条" in html and "第 4 / 4 页" in html and "首页" in html


@pytest.mark.django_db
def test_a_capped_count_reads_count_from_without_the_rows_display_joins(django_assert_num_queries):
    from kechuang.core.models import Organisation

    for n in range(15):
        OrganisationFactory(name=f"分页{n:02d}")
    scope = Organisation.objects.filter(name__startswith="分页")
    shown = scope.values("pk", "name", "region__name", "industry__name")  # joins the page needs
    request = RequestFactory().get("/x/", {"per_page": "10"})
    with django_assert_num_queries(1) as ctx:
        table = build_table(request, shown, COLUMNS, default_sort="name", count_cap=12, count_from=scope)
    assert table.page.paginator.count == 15 and not table.page.paginator.capped
    assert "JOIN" not in ctx.captured_queries[0]["sql"]
    assert [r["name"] for r in table.rows] == [f"分页{n:02d}" for n in range(10)]
    with django_assert_num_queries(1) as ctx:  # without it, the count keeps the joins
        build_table(request, shown, COLUMNS, default_sort="name", count_cap=12).page.paginator.count  # noqa: B018
    assert "JOIN" in ctx.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_without_a_cap_the_count_is_exact():
    for n in range(12):
        OrganisationFactory(name=f"分页{n:02d}")
    table = _table({"per_page": "10"})
    assert table.page.paginator.count == 12 and table.page.paginator.num_pages == 2
    assert "共 12 条" in render_to_string("components/pagination.html", {"table": table})


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


class _Form(forms.Form):
    plain = forms.ChoiceField(
        choices=[
            ("", "全部"),
            ("a", "甲 & <乙>"),
            ("b", '丙"'),
            ("c'", mark_safe("<b>丁</b>")),
            ("d", "戊\0'"),
        ],
        required=False,
    )
    grouped = forms.ChoiceField(choices=[("", "全部"), ("组一", [("1", "一"), ("2", "二")])], required=False)


@pytest.mark.parametrize("data", [{}, {"plain": "a", "grouped": "2"}, {"plain": "b"}, {"plain": "c'"}])
def test_fast_select_renders_the_same_markup_as_django_select(data):
    slow, fast = _Form(data), _Form(data)
    for name in ("plain", "grouped"):
        fast.fields[name].widget = FastSelect(attrs={"class": "form-select"})
        slow.fields[name].widget = forms.Select(attrs={"class": "form-select"})
        slow.fields[name].widget.choices = fast.fields[name].widget.choices = slow.fields[name].choices
        assert _squash(fast[name]) == _squash(slow[name])
    assert "&amp; &lt;乙&gt;" in str(fast["plain"]) and "丙&quot;" in str(fast["plain"])
    assert "<b>丁</b>" in str(fast["plain"]) and 'value="c&#x27;"' in str(fast["plain"])


def test_cell_text_is_what_a_template_variable_prints():
    from django.template import engines

    values = [
        "甲 & <乙>",
        mark_safe("<b>丙</b>"),
        None,
        3,
        1234567,
        True,
        Decimal("1440000.50"),
        dt.date(2020, 3, 9),
        "",
    ]
    template = engines["django"].from_string("{{ v }}")
    for value in values:
        assert cell_text(value) == template.render({"v": value})
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert cell_text(1234567) == template.render({"v": 1234567})


def test_cell_text_dates_match_the_template_in_every_language_and_format():
    from django.template import engines
    from django.utils import translation

    from kechuang.core.tables import _date_pieces

    template = engines["django"].from_string("{{ v }}")
    days = [dt.date(2020, 3, 9), dt.date(1999, 12, 31), dt.date(2024, 2, 29), dt.date(2026, 1, 1)]
    days += [dt.date(2023, month, 5 + month) for month in range(1, 13)]
    # zh-hans: "Y年n月j日"; en: month abbreviations ("N"); es / pt: escaped literals (r"j \d\e F \d\e Y")
    for language in ("zh-hans", "en", "es", "pt", "de", "ja"):
        with translation.override(language):
            for day in days:
                assert cell_text(day) == template.render({"v": day}), (language, day)
    assert _date_pieces("H:i") is None  # a time specifier: Django's own path (and its error)


def test_url_for_is_the_reversed_url_of_each_key():
    from django.urls import reverse

    detail = url_for("enterprises:firm_detail")
    assert [detail(pk) for pk in (1, 98765)] == [
        reverse("enterprises:firm_detail", args=[pk]) for pk in (1, 98765)
    ]


@pytest.mark.django_db
def test_values_choices_are_lazy_and_validated_against_the_queryset(town, django_assert_num_queries):
    towns = Region.objects.filter(level=Region.Level.TOWN)
    field = forms.ModelChoiceField(queryset=towns, required=False, widget=FastSelect)
    with django_assert_num_queries(0):
        field.widget.choices = ValuesChoices(towns.order_by("code"), "pk", "name", empty_label="全部镇街")
    with django_assert_num_queries(1):
        html = field.widget.render("town", town.pk)
    assert f'<option value="{town.pk}" selected>{town.name}</option>' in html
    assert html.startswith('<select name="town"><option value="">全部镇街</option>')
    assert field.clean(str(town.pk)) == town
    with pytest.raises(forms.ValidationError):
        field.clean("999999")

"""core.tables: capped counting pagination and lazy values choices."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory

from kechuang.core.models import Region
from kechuang.core.tables import Column, ValuesChoices, build_table
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


@pytest.mark.django_db
def test_values_choices_are_lazy_and_validated_against_the_queryset(town, django_assert_num_queries):
    towns = Region.objects.filter(level=Region.Level.TOWN)
    field = forms.ModelChoiceField(queryset=towns, required=False)
    with django_assert_num_queries(0):
        field.widget.choices = ValuesChoices(towns.order_by("code"), "pk", "name", empty_label="全部镇街")
    with django_assert_num_queries(1):
        html = field.widget.render("town", town.pk)
    assert f'<option value="{town.pk}" selected>{town.name}</option>' in html
    assert html.startswith('<select name="town">') and '<option value="">全部镇街</option>' in html
    assert field.clean(str(town.pk)) == town
    with pytest.raises(forms.ValidationError):
        field.clean("999999")


@pytest.mark.django_db
@pytest.mark.parametrize(("sort", "said"), [("name", "ascending"), ("-name", "descending")])
def test_the_sorted_column_tells_screen_readers_its_order(sort, said):
    html = render_to_string("components/table_head.html", {"table": _table({"sort": sort})})
    assert f'<th scope="col" aria-sort="{said}">' in html
    assert html.count("aria-sort") == 1

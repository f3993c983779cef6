"""Lists sort Chinese names in pinyin order on both databases (issue 27 item 4)."""

import pytest
from django.test import RequestFactory

from kechuang.core import collation
from kechuang.core.models import Organisation
from kechuang.core.tables import Column, build_table

NAMES = ["淄博中科新材料有限公司", "淄博安泰电子有限公司", "淄博国瓷陶瓷有限公司", "淄博宝丰纺织有限公司"]
PINYIN_ORDER = [
    "淄博安泰电子有限公司",
    "淄博宝丰纺织有限公司",
    "淄博国瓷陶瓷有限公司",
    "淄博中科新材料有限公司",
]


def test_sort_key_reads_pinyin_not_code_points():
    assert sorted(NAMES) != PINYIN_ORDER  # by code point 中 (U+4E2D) comes first
    assert sorted(NAMES, key=collation.sort_key) == PINYIN_ORDER


def test_text_paths_are_recognised():
    assert collation.is_text_path(Organisation, "name")
    assert collation.is_text_path(Organisation, "region__name")
    assert not collation.is_text_path(Organisation, "established_on")
    assert not collation.is_text_path(Organisation, "kind")  # choices sort by code, as the filter does
    assert not collation.is_text_path(Organisation, "no_such_annotation")


@pytest.mark.django_db
def test_a_table_sorted_by_name_lists_pinyin_order_both_ways():
    for name in NAMES:
        Organisation.objects.create(name=name, kind=Organisation.Kind.ENTERPRISE)
    columns = [Column("name", "名称", "name")]
    qs = Organisation.objects.filter(name__in=NAMES)
    up = build_table(RequestFactory().get("/", {"sort": "name"}), qs, columns, default_sort="name")
    down = build_table(RequestFactory().get("/", {"sort": "-name"}), qs, columns, default_sort="name")
    assert [o.name for o in up.rows] == PINYIN_ORDER
    assert [o.name for o in down.rows] == PINYIN_ORDER[::-1]


@pytest.mark.django_db
def test_the_firm_lists_pinyin_order_can_read_the_name_index_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pinyin index exists on PostgreSQL only (migration core 0015)")
    qs = Organisation.objects.order_by(collation.pinyin("name"), "id").values("id", "name")[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "core_org_name_pinyin" in plan, plan

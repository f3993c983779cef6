"""Exports read as the pages do (issue 27 item 1): every xlsx export the bureau's staff reach on the demo shows
choice labels, never a choice field's raw code ("approved", "hnte"), an indicator code outside a column that
names codes, or True/False/None. The exports come from the URL resolver (every route named …export or ending
.xlsx, parameters filled from the demo's records), the export links on each staff menu page, and the lists
exported through `?export=xlsx`."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse

from kechuang.core import exports, indicators
from kechuang.core.imports.spec import specs as import_specs
from kechuang.core.navigation import menu_for

pytestmark = pytest.mark.django_db

STAFF = ("staff", "staff2", "staff_agri", "city_staff")
# A column whose header says it holds codes (统一社会信用代码, 指标代码, 编号 …) may show codes.
CODE_COLUMN = re.compile("代码|编码|编号|代号")
CODE_LIKE = re.compile(r"^[a-z][a-z0-9_:.\-]*$")
WORDS = {"True", "False", "None", "TRUE", "FALSE", "null"}


def raw_codes() -> dict[str, str]:
    """Raw code → label of every choice field of every model whose label differs from its code, and of every
    registered indicator (its name): what an export must never show in place of the label."""
    codes: dict[str, str] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for code, label in getattr(field, "flatchoices", None) or ():
                if isinstance(code, str) and CODE_LIKE.match(code) and str(label) != code:
                    codes.setdefault(code, f"{model._meta.label}.{field.name}：{label}")
    for ind in indicators.all_indicators():
        codes.setdefault(ind.code, f"指标：{ind.name}")
    return codes


def _param_urls() -> list[str]:
    """Export routes that take a record: each filled with the demo's records of the kind it exports."""
    from kechuang.policies.models import PolicyItem
    from kechuang.programmes.models import Call
    from kechuang.projects.models import SupervisionCampaign

    urls = [
        reverse("policies:item_export", args=[pk]) for pk in PolicyItem.objects.values_list("pk", flat=True)
    ]
    for call in Call.objects.values_list("pk", flat=True):
        urls += [
            reverse(f"programmes:{name}", args=[call])
            for name in ("call_applications_export", "call_decisions_export")
        ]
    urls += [
        reverse("statistics:export", args=[code])
        for code in ("table", *(i.code for i in indicators.headline_indicators()))
    ]
    urls += [reverse("core:import_template", args=[spec.name]) for spec in import_specs()]
    urls += [reverse("projects:project_list") + "?export=xlsx"]
    urls += [
        reverse("projects:campaign_detail", args=[pk]) + "?export=xlsx"
        for pk in SupervisionCampaign.objects.values_list("pk", flat=True)
    ]
    return urls


def export_urls(client, users) -> set[str]:
    from kechuang.core.tests import idor

    routes = [r for r in idor.walk() if not r.name.startswith("api")]
    plain = {
        "/" + r.route for r in routes if not r.params and ("export" in r.name or r.route.endswith(".xlsx"))
    }
    named = {r.name for r in routes if r.params and ("export" in r.name or r.route.endswith(".xlsx"))}
    urls = plain | set(_param_urls())
    covered = {
        "core:import_template",
        # A refused import's rows as the user sent them, with the messages beside them: the user's own cells.
        "core:import_error_file",
        "policies:item_export",
        "programmes:call_applications_export",
        "programmes:call_decisions_export",
        "statistics:export",
    }
    assert named <= covered, f"导出路由需要参数，请在 _param_urls 里补上：{sorted(named - covered)}"
    for user in users:  # the export links the menu pages offer (with their default filters)
        client.force_login(user)
        for entry in menu_for(user):
            response = client.get(entry["url"])
            if response.status_code == 200 and "text/html" in response["Content-Type"]:
                urls |= {
                    h.replace("&amp;", "&")
                    for h in re.findall(r'href="([^"]*(?:export|\.xlsx)[^"]*)"', response.text)
                }
    return {u for u in urls if u.startswith("/") and "/api/" not in u}


def bad_cells(data: bytes, codes: dict[str, str]) -> list[str]:
    found = []
    for sheet in openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets:
        rows = sheet.iter_rows(values_only=True)
        headers = [str(h or "") for h in next(rows, ())]
        for row in rows:
            for header, value in zip(headers, row, strict=False):
                if isinstance(value, bool) or (isinstance(value, str) and value.strip() in WORDS):
                    found.append(f"「{header}」列为 {value!r}（应为 是/否 或留空）")
                elif isinstance(value, str) and value in codes and not CODE_COLUMN.search(header):
                    found.append(f"「{header}」列为代码 {value!r}（{codes[value]}）")
    return found


def test_every_staff_export_shows_labels_not_codes(demo, client):
    from kechuang.accounts.models import User

    users = list(User.objects.filter(username__in=STAFF))
    assert len(users) == len(STAFF)
    codes = raw_codes()
    assert {"approved", "hnte", "rd_total"} <= codes.keys()
    problems, checked = {}, set()
    for url in sorted(export_urls(client, users)):
        for user in users:
            client.force_login(user)
            response = client.get(url)
            if response.status_code != 200 or response.get("Content-Type") != exports.XLSX_TYPE:
                continue
            checked.add(url.split("?")[0])
            found = bad_cells(response.content, codes)
            if found:
                problems[f"{url}（{user.username}）"] = sorted(set(found))[:6]
            break
    report = "\n".join(f"{url}: {'；'.join(p)}" for url, p in sorted(problems.items()))
    assert not problems, f"{len(problems)} 个导出含代码或 True/False：\n{report}"
    assert len(checked) >= 20, sorted(checked)

"""`kechuang eligibility FILE.json`: JSON in, JSON out, clear Chinese errors, no database."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[3]

EXAMPLE = {
    "hnte": [
        {
            "name": "周村方达电子有限公司",
            "registered_on": "2012-03-15",
            "application_date": "2020-06-30",
            "has_core_ip": True,
            "field_code": "0101",
            "years": [
                {
                    "year": 2017,
                    "sales_revenue": "2400",
                    "total_revenue": 2450,
                    "high_tech_income": 1800,
                    "rd_expense": 150,
                    "rd_expense_domestic": 150,
                    "net_assets": 1000,
                    "staff_total": 80,
                    "sci_tech_staff": 20,
                },
                {
                    "year": 2018,
                    "sales_revenue": 3200,
                    "total_revenue": 3300,
                    "high_tech_income": 2500,
                    "rd_expense": 220,
                    "rd_expense_domestic": 200,
                    "net_assets": 1350,
                    "staff_total": 90,
                    "sci_tech_staff": 22,
                },
                {
                    "year": 2019,
                    "sales_revenue": "4,200",
                    "total_revenue": "4300.5",
                    "high_tech_income": 3300,
                    "rd_expense": 300,
                    "rd_expense_domestic": 280,
                    "net_assets": 1822.5,
                    "staff_total": 100,
                    "sci_tech_staff": 25,
                },
            ],
            "ip": {"class1": 2, "class2": 6, "own_rd": True, "technical_advancement": 7, "core_support": 7},
            "conversions_by_year": [4, 5, 6],
            "rd_organisation_score": 16,
        }
    ],
    "tech_sme": [
        {
            "name": "淄博金宇钢构有限公司",
            "resident": True,
            "staff_total": 120,
            "sci_tech_staff": 30,
            "sales_revenue": 6000,
            "total_assets": "9000",
            "rd_expense": 300,
            "total_costs": 5200,
            "ip": {"class2": 3},
        },
        {
            "name": "周村丝路科技有限公司",
            "resident": True,
            "staff_total": 20,
            "direct_grounds": ["valid_hnte"],
        },
    ],
}


def run(tmp_path: Path, payload, *args) -> dict:
    path = tmp_path / "firms.json"
    path.write_text(
        payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False), encoding="utf-8"
    )
    out = StringIO()
    call_command("eligibility", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_example_file_is_evaluated_and_printed_as_json(tmp_path):
    result = run(tmp_path, EXAMPLE)
    [hnte] = result["hnte"]
    assert hnte["name"] == "周村方达电子有限公司"
    assert hnte["kind"] == "hnte"
    rd = next(c for c in hnte["criteria"] if c["code"] == "hnte.rd_ratio")
    assert rd["passed"] is True and rd["value"] == "6.84%"
    assert hnte["eligible"] is True
    assert hnte["pass_mark"] == 71
    sme, direct = result["tech_sme"]
    assert sme["eligible"] is True and sme["score_min"] == 74
    assert direct["eligible"] is None  # direct ground, but sales and assets are unknown
    assert direct["missing"] == [
        "sales_revenue",
        "total_assets",
    ]  # score data not needed with a direct ground
    assert direct["missing_labels"] == ["销售收入", "资产总额"]


def test_output_is_utf8_chinese_not_escaped(tmp_path):
    path = tmp_path / "firms.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    out = StringIO()
    call_command("eligibility", str(path), stdout=out)
    assert "周村方达电子有限公司" in out.getvalue()
    assert "\\u" not in out.getvalue()


def test_pass_mark_option_changes_the_hnte_verdict(tmp_path):
    default = run(tmp_path, EXAMPLE)["hnte"][0]
    strict = run(tmp_path, EXAMPLE, "--pass-mark", str(default["score_max"] + 1))["hnte"][0]
    assert strict["pass_mark"] == default["score_max"] + 1
    assert strict["eligible"] is False


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "JSON 格式错误（第1行"),
        ("[]", "JSON 顶层应为对象"),
        ('{"hnte": [], "firms": []}', "不认识的键 'firms'"),
        ('{"hnte": {}}', "“hnte”应为数组"),
        ('{"hnte": [{"application_date": "2020-06-30"}]}', "企业“高企第1条”的字段 name：企业名称必填"),
        (
            '{"hnte": [{"name": "甲公司", "application_date": "2020-13-01"}]}',
            "企业“甲公司”的字段 application_date：应为 ISO 日期",
        ),
        ('{"hnte": [{"name": "甲公司"}]}', "企业“甲公司”的字段 application_date：必填"),
        (
            '{"hnte": [{"name": "甲公司", "application_date": "2020-06-30", "years": [{"year": 2019, "rd_expense": "三百"}]}]}',
            "企业“甲公司”的字段 years[0].rd_expense：应为金额（万元）",
        ),
        (
            '{"hnte": [{"name": "甲公司", "application_date": "2020-06-30", "years": [{"year": 2019}, {"year": 2018}]}]}',
            "years[1].year：会计年度应由早到晚排列且不重复",
        ),
        (
            '{"hnte": [{"name": "甲公司", "application_date": "2020-06-30", "ip": {"technical_advancement": 9}}]}',
            "ip.technical_advancement：应在 0–8 之间",
        ),
        (
            '{"hnte": [{"name": "甲公司", "application_date": "2020-06-30", "conversions_by_year": [1, -1]}]}',
            "conversions_by_year[1]：应在 0–∞ 之间",
        ),
        (
            '{"hnte": [{"name": "甲公司", "application_date": "2020-06-30", "sales": 1}]}',
            "字段 sales：不认识的字段",
        ),
        ('{"tech_sme": [{"name": "乙公司"}]}', "企业“乙公司”的字段 resident：必填"),
        ('{"tech_sme": [{"name": "乙公司", "resident": "是"}]}', "resident：应为 true 或 false"),
        (
            '{"tech_sme": [{"name": "乙公司", "resident": true, "staff_total": 12.5}]}',
            "staff_total：应为整数",
        ),
        (
            '{"tech_sme": [{"name": "乙公司", "resident": true, "direct_grounds": ["class1_ip"]}]}',
            "direct_grounds：未知的直接认定条件 'class1_ip'",
        ),
        (
            '{"tech_sme": [{"name": "乙公司", "resident": true, "sales_revenue": true}]}',
            "sales_revenue：应为金额",
        ),
    ],
)
def test_bad_input_is_a_chinese_error_naming_firm_and_field(tmp_path, payload, message):
    with pytest.raises(CommandError) as exc:
        run(tmp_path, payload)
    assert message in str(exc.value)


def test_missing_file_and_bad_pass_mark_are_errors(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("eligibility", str(tmp_path / "nope.json"), stdout=StringIO())
    with pytest.raises(CommandError, match="--pass-mark 应为 0–100"):
        run(tmp_path, EXAMPLE, "--pass-mark", "101")


def test_command_runs_as_a_process_without_a_database_and_exits_non_zero_on_error(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"tech_sme": [{"name": "乙公司", "resident": true, "total_assets": "二亿"}]}', encoding="utf-8"
    )
    # an unreachable database: the command must never connect
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "PYTHONIOENCODING": "utf-8",
    }
    ok = subprocess.run(
        [sys.executable, "-m", "kechuang", "eligibility", str(good)],
        capture_output=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert ok.returncode == 0, ok.stderr.decode()
    assert json.loads(ok.stdout.decode("utf-8"))["hnte"][0]["eligible"] is True
    failed = subprocess.run(
        [sys.executable, "-m", "kechuang", "eligibility", str(bad)],
        capture_output=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert failed.returncode != 0
    assert "企业“乙公司”的字段 total_assets：应为金额（万元）" in failed.stderr.decode("utf-8")


def test_the_documented_example_runs_and_gives_the_documented_results(tmp_path):
    doc = (ROOT / "docs" / "eligibility.md").read_text(encoding="utf-8")
    example = doc.split("## 示例输入", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    result = run(tmp_path, example)
    assert result["hnte"][0]["summary"] in doc
    assert result["tech_sme"][0]["summary"] in doc
    rd = next(c for c in result["hnte"][0]["criteria"] if c["code"] == "hnte.rd_ratio")
    assert rd["explanation"] in doc

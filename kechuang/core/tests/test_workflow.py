import pytest
from django.core.exceptions import ValidationError

from kechuang.core.workflow import Transition, Workflow, chain

FLOW = Workflow(
    chain(("draft", "review", "提交"), ("review", "published"), ("review", "draft")),
    labels={"draft": "草稿", "review": "待审核", "published": "已发布"},
)


def test_allowed_lists_the_steps_out_of_a_status_in_table_order():
    assert FLOW.targets("review") == ["published", "draft"]
    assert FLOW.allowed("draft") == (Transition("draft", "review", "提交"),)
    assert FLOW.allowed("published") == ()
    assert FLOW.states == ["draft", "review", "published"]


def test_problem_explains_in_chinese():
    assert FLOW.problem("draft", "review") == ""
    assert FLOW.problem("draft", "published") == "不能从“草稿”变为“已发布”（可变为：待审核）。"
    assert "已是终态" in FLOW.problem("published", "draft")
    assert FLOW.problem("review", "review").startswith("已经是“待审核”状态，无需重复操作")
    assert "“Draft”" in FLOW.problem("draft", "published", labels={"draft": "Draft"})


def test_check_returns_the_step_or_refuses():
    assert FLOW.check("review", "published").target == "published"
    with pytest.raises(ValidationError, match="不能从“已发布”变为“草稿”"):
        FLOW.check("published", "draft")


def test_a_step_listed_twice_is_a_mistake():
    with pytest.raises(ValueError, match="twice"):
        Workflow(chain(("a", "b"), ("a", "b")))

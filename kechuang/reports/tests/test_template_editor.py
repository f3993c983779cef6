"""Staff edit summary templates in the browser: reword, add/remove/reorder blocks and sections, every
placeholder checked against the indicator registry, a preview for their district, audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.reports import services, summary
from kechuang.reports.models import SummaryTemplate
from kechuang.reports.template_forms import block_line, blocks_to_text, section_initial

pytestmark = pytest.mark.django_db


def _post_data(template, **overrides):
    """The editor's form as the browser submits it, from the saved template (plus one empty extra form)."""
    sections = section_initial(template)
    data = {
        "version": template.version,
        "name": template.name,
        "title": template.title,
        "opening": template.opening,
        "closing": template.closing,
        "signature": template.signature,
        "s-TOTAL_FORMS": len(sections) + 1,
        "s-INITIAL_FORMS": len(sections),
        "s-MIN_NUM_FORMS": 0,
        "s-MAX_NUM_FORMS": 1000,
    }
    for n, section in enumerate(sections):
        for k, v in section.items():
            data[f"s-{n}-{k}"] = v
    data.update(overrides)
    return data


def _lines(template, key):
    section = template.sections.get(key=key)
    return [block_line(b) for b in section.blocks]


def test_staff_reword_add_remove_and_reorder_then_save_with_audit(client, staff, template, scope, hnte_firms):
    hnte_firms(3)
    client.force_login(staff)
    url = reverse("reports:template_edit", args=[template.pk])
    assert client.get(url).status_code == 200
    enterprises = _lines(template, "enterprises")
    talent = template.sections.get(key="talent")
    new_first = "截至目前，全区高新技术企业达到{hnte_count}家。"  # reworded computed sentence
    blocks = [new_first, "这是新增的一段固定文字。"] + enterprises[1:-1]  # last block removed, order changed
    data = _post_data(
        template,
        **{
            "s-1-blocks_text": "\n\n".join(blocks),
            f"s-{talent.order - 1}-DELETE": "on",  # remove the talent section
            "s-2-order": "9",  # platforms moves to the end (before the new section)
            "s-7-order": "",
            "s-7-key": "",
            "s-7-heading": "六、新增的章节。",
            "s-7-blocks_text": "全区科技型中小企业{tech_sme_count}家。",
            "action": "save",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    template.refresh_from_db()
    keys = list(template.sections.values_list("key", flat=True))
    assert keys == ["opening", "enterprises", "cooperation", "agritech", "next", "platforms", "section7"]
    assert _lines(template, "enterprises")[:2] == [new_first, "这是新增的一段固定文字。"]
    assert len(_lines(template, "enterprises")) == len(enterprises)  # one added, one removed
    kinds = [b["kind"] for b in template.sections.get(key="enterprises").blocks[:2]]
    assert kinds == ["computed", "text"]
    assert template.version == 2

    event = AuditEvent.objects.get(action="summary_template.save", object_id=str(template.pk))
    before, after = event.changes["sections"]
    assert [s["key"] for s in before] != [s["key"] for s in after] and "talent" not in [
        s["key"] for s in after
    ]

    # The next draft uses the edited template and fills the new sentences from the indicators.
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    text = "".join(b for _h, b in summary.paragraphs(draft.__dict__))
    assert "全区高新技术企业达到3家。这是新增的一段固定文字。" in text
    assert "加强人才培育集聚" not in "".join(s["heading"] for s in draft.sections)


def test_unknown_placeholder_is_refused_in_chinese_and_nothing_is_saved(client, staff, template):
    client.force_login(staff)
    url = reverse("reports:template_edit", args=[template.pk])
    before = blocks_to_text(template.sections.get(key="enterprises").blocks)
    data = _post_data(
        template,
        **{
            "s-1-blocks_text": before + "\n\n我区共有{hnte_cuont}家高企，{高企数}家。\n\n@no_such_generator",
            "action": "save",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "未注册的指标：hnte_cuont" in page and "占位符格式不正确：{高企数}" in page
    assert "未注册的句子生成器：no_such_generator" in page
    template.refresh_from_db()
    assert template.version == 1
    assert blocks_to_text(template.sections.get(key="enterprises").blocks) == before
    assert not AuditEvent.objects.filter(action="summary_template.save").exists()


def test_preview_fills_the_unsaved_wording_for_the_users_district(client, staff, template, hnte_firms):
    hnte_firms(4)
    client.force_login(staff)
    url = reverse("reports:template_edit", args=[template.pk])
    data = _post_data(
        template,
        **{"s-1-blocks_text": "预览：高企{hnte_count}家。\n\n@hnte_totals", "action": "preview"},
        **{"p-region": staff.region_id, "p-period": "2020", "p-as_of": "2020-11-30"},
    )
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "预览：高企<mark" in page and ">4</mark>家。" in page
    assert "我区共有<mark" in page  # the generated sentence is previewed too
    assert staff.region.name in page
    template.refresh_from_db()
    assert template.version == 1 and "预览：" not in blocks_to_text(
        template.sections.get(key="enterprises").blocks
    )


def test_service_refuses_a_stale_version_and_unknown_indicators(staff, template):
    from kechuang.core.services import StaleObject

    fields = {k: getattr(template, k) for k in services.TEMPLATE_FIELDS}
    sections = template.section_data()
    with pytest.raises(Exception, match="未注册的指标：nope"):
        services.template_save(
            actor=staff,
            template=template,
            version=1,
            fields=fields,
            sections=[{**sections[0], "blocks": [{"kind": "computed", "text": "{nope}"}]}],
        )
    services.template_save(actor=staff, template=template, version=1, fields=fields, sections=sections)
    with pytest.raises(StaleObject):
        services.template_save(actor=staff, template=template, version=1, fields=fields, sections=sections)


def test_title_allows_only_region_and_year(client, staff, template):
    client.force_login(staff)
    url = reverse("reports:template_edit", args=[template.pk])
    response = client.post(url, _post_data(template, title="{region}{hnte_count}", action="save"))
    assert response.status_code == 400 and "不支持的占位符 {hnte_count}" in response.content.decode()


@pytest.mark.parametrize(
    "title", ["{region:>99999999}", "{region:{region.__class__}}", "{year!r}年", "{region.name}", "{region"]
)
def test_title_format_specs_are_refused_on_save_in_chinese(client, staff, template, title):
    """Issue 25: a 25-character title made a 20 MB response; another broke every district's drafts."""
    client.force_login(staff)
    url = reverse("reports:template_edit", args=[template.pk])
    response = client.post(url, _post_data(template, title=title, action="save"))
    assert response.status_code == 400
    assert "只能使用 {region}（区域名称）、{year}（年份）" in response.content.decode() or "花括号不成对" in (
        response.content.decode()
    )
    sections = [{**s, "blocks": s["blocks"]} for s in template.section_data()]
    fields = {k: getattr(template, k) for k in services.TEMPLATE_FIELDS} | {"title": title}
    with pytest.raises(ValidationError):
        services.template_save(actor=staff, template=template, version=1, fields=fields, sections=sections)
    template.refresh_from_db()
    assert template.version == 1


def test_a_stored_title_is_filled_without_str_format(staff, template, scope):
    """A title saved before the check (or written straight to the database) renders as plain text."""
    SummaryTemplate.objects.filter(pk=template.pk).update(
        title="{year}年{region:>99999999}{region:{region.__class__}}"
    )
    template.refresh_from_db()
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    assert draft.title == "2020年{region:>99999999}{region:{region.__class__}}"


def test_template_save_through_the_page_logs_the_real_before_and_after(client, staff, template):
    """Issue 25: the page's form wrote the new wording onto the instance first, so the event said `{}`."""
    client.force_login(staff)
    old = template.signature
    url = reverse("reports:template_edit", args=[template.pk])
    response = client.post(url, _post_data(template, signature="淄博市周村区科学技术局（改）", action="save"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="summary_template.save", object_id=str(template.pk))
    assert event.changes == {"signature": [old, "淄博市周村区科学技术局（改）"]}


def test_only_staff_edit_templates(client, leader, enterprise_user, template):
    url = reverse("reports:template_edit", args=[template.pk])
    for user in (leader, enterprise_user):
        client.force_login(user)
        assert client.get(reverse("reports:template_list")).status_code == 403
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, _post_data(template, action="save")).status_code in (403, 404)
    template.refresh_from_db()
    assert template.version == 1

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kechuang.core.models import AuditEvent
from kechuang.reports import documents, gongwen, services, summary
from kechuang.reports.models import SummaryDraft

pytestmark = pytest.mark.django_db


def _computed_with(draft, code):
    for si, section in enumerate(draft.sections):
        for bi, block in enumerate(section["blocks"]):
            if block["kind"] == "computed" and any(f["code"] == code for f in block["figures"]):
                return si, bi, block
    raise AssertionError(code)


def _first_text(draft):
    for si, section in enumerate(draft.sections):
        for bi, block in enumerate(section["blocks"]):
            if block["kind"] == "text":
                return si, bi
    raise AssertionError("no text block")


def test_summary_records_every_figure_with_code_value_unit_and_status(staff, template, scope, hnte_firms):
    hnte_firms(3)
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    _, _, block = _computed_with(draft, "hnte_count")
    fig = next(f for f in block["figures"] if f["code"] == "hnte_count")
    assert fig == fig | {"value": "3", "unit": "家", "status": "record", "status_label": "台账", "text": "3"}
    assert "我区共有3家高新技术企业" in summary.block_text(block)
    assert AuditEvent.objects.filter(action="summary_draft.generate", object_id=str(draft.pk)).exists()


def test_regenerate_keeps_staff_edits_and_flags_changed_figures(staff, template, scope, hnte_firms):
    hnte_firms(2)
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    si, bi = _first_text(draft)
    services.draft_edit(
        actor=staff,
        draft=draft,
        version=draft.version,
        texts={(si, bi): "我们自己写的一段话。"},
        title=draft.title,
        opening=draft.opening,
        closing="",
    )
    hnte_firms(1)  # a new certificate arrives after the draft was written

    draft.refresh_from_db()
    changed = services.draft_regenerate(actor=staff, draft=draft, version=draft.version)

    draft.refresh_from_db()
    assert draft.sections[si]["blocks"][bi]["text"] == "我们自己写的一段话。"
    _, _, block = _computed_with(draft, "hnte_count")
    assert block["changed"] is True and "2" in block["previous"]
    assert "我区共有3家高新技术企业" in summary.block_text(block)
    unchanged = [
        b for s in draft.sections for b in s["blocks"] if b["kind"] == "computed" and not b.get("changed")
    ]
    assert unchanged, "blocks whose figures did not move are not flagged"
    assert changed == draft.changed_count >= 1

    services.draft_acknowledge(actor=staff, draft=draft, version=draft.version)
    draft.refresh_from_db()
    assert draft.changed_count == 0 and not _computed_with(draft, "hnte_count")[2].get("changed")


def test_stale_versions_are_refused(staff, template, scope, hnte_firms):
    hnte_firms(2)
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    si, bi, _ = _computed_with(draft, "hnte_count")
    with pytest.raises(Exception, match="已被他人修改"):
        services.draft_edit(
            actor=staff,
            draft=draft,
            version=draft.version + 1,
            texts={(si, bi): "47"},
            title="t",
            opening="",
            closing="",
        )
    with pytest.raises(Exception, match="已被他人修改"):
        services.draft_regenerate(actor=staff, draft=draft, version=draft.version + 5)
    assert SummaryDraft.objects.get(pk=draft.pk).version == 1


def test_topic_selects_sections_by_keywords_and_keeps_next_steps(template):
    sections = template.sections.all()
    chosen = summary.select_sections(sections, "关于加强农业科技特派员服务的建议")
    assert [s.key for s in chosen] == ["opening", "agritech", "next"]
    assert len(summary.select_sections(sections, "关于进一步加大科技创新力度的提案")) == 7


def test_docx_follows_gbt_9704_layout(staff, template, scope, hnte_firms):
    hnte_firms(2)
    draft = services.draft_generate(actor=staff, template=template, scope=scope)
    doc = documents.summary_gongwen(
        draft, date=dt.date(2020, 11, 30), number="周科字〔2020〕3号", issuer="刘志强"
    )
    document = Document(io.BytesIO(gongwen.render_docx(doc)))
    section = document.sections[0]
    # Word stores lengths in twips, so values read back within a fraction of a millimetre.
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.left_margin - Mm(28)) < Mm(0.1)
    assert abs(section.page_width - section.left_margin - section.right_margin - Mm(156)) < Mm(0.1)
    assert abs(section.page_height - section.top_margin - section.bottom_margin - Mm(225)) < Mm(0.1)
    assert document.paragraphs[0].text == "周村区科学技术局文件"
    title = next(p for p in document.paragraphs if p.text == draft.title)
    assert title.alignment == 1  # centred
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("下一步"))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent == Pt(32)
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY and abs(normal.line_spacing.pt - 28.95) < 0.01
    heading = next(p for p in document.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml
    texts = [p.text for p in document.paragraphs]
    assert texts.index("周村区科学技术局") + 1 == texts.index("2020年11月30日")  # 署名 over 成文日期


def test_command_line_writes_markdown_and_docx_of_the_same_document(tmp_path, hnte_firms, template):
    from django.core.management import call_command

    hnte_firms(5)
    args = ["report", "summary", "--region", "370306", "--period", "2020", "--as-of", "2020-11-30"]
    call_command(*args, "--format", "md", "-o", str(tmp_path / "s.md"))
    md = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "我区共有5家高新技术企业" in md and md.rstrip().endswith("2020年11月30日")
    call_command(*args, "--format", "docx", "-o", str(tmp_path / "s.docx"))
    texts = [p.text for p in Document(str(tmp_path / "s.docx")).paragraphs]
    assert any("我区共有5家高新技术企业" in t for t in texts)
    with pytest.raises(Exception, match="区划代码 999999 不存在"):
        call_command("report", "summary", "--region", "999999", "--period", "2020", "--as-of", "2020-11-30")

"""Writes for work-summary drafts: generate, edit free text, regenerate figures, acknowledge changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.core import audit, dates
from kechuang.core.indicators import Period, Scope
from kechuang.core.permissions import serves
from kechuang.core.services import StaleObject
from kechuang.reports import summary
from kechuang.reports.models import SummaryDraft, SummarySection, SummaryTemplate


def scope_of(draft: SummaryDraft) -> Scope:
    return Scope(draft.region, Period.parse(draft.period), draft.as_of)


@transaction.atomic
def draft_generate(
    *,
    actor,
    template: SummaryTemplate,
    scope: Scope,
    topic: str | None = None,
    title: str = "",
    audience: str = "",
    sections: list[dict] | None = None,
) -> SummaryDraft:
    """A draft written by the drafting engine from `template` for `scope`; `sections` (already built, e.g. a
    proposal reply's parts) replaces the template's sections."""
    if scope.as_of < scope.period.start:
        raise ValidationError({"as_of": "截至日期早于统计期开始，无法生成。"})
    if not serves(template.region.path, scope.region.path):
        raise ValidationError({"template": "只能使用本区或上级科技局的工作总结模板。"})
    doc = summary.build(template, scope, topic=topic, audience=audience)
    if sections is not None:
        doc["sections"] = sections
    draft = SummaryDraft(
        template=template,
        region=scope.region,
        period=str(scope.period),
        as_of=scope.as_of,
        title=title or doc["title"],
        opening=doc["opening"],
        closing=doc["closing"],
        sections=doc["sections"],
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    figures = summary.all_figures(draft.sections)
    audit.record(
        actor=actor,
        action="summary_draft.generate",
        obj=draft,
        changes={
            "scope": [draft.region.code, draft.period, draft.as_of.isoformat()],
            "figures": len(figures),
        },
    )
    return draft


def _save(draft: SummaryDraft, expected_version: int, **fields) -> None:
    from kechuang.reports.rules import editable

    if not editable(draft.stage):
        raise ValidationError(f"稿件{draft.get_stage_display()}，不能修改；如需修改请由核稿人或签发人退回。")
    updated = SummaryDraft.objects.filter(pk=draft.pk, version=expected_version).update(
        version=expected_version + 1, stage="drafting", **fields
    )
    if not updated:
        raise StaleObject()
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.version = expected_version + 1


@transaction.atomic
def draft_edit(
    *,
    actor,
    draft: SummaryDraft,
    version: int,
    texts: dict[tuple[int, int], str],
    title: str,
    opening: str,
    closing: str,
) -> SummaryDraft:
    """Replace the text of blocks (addressed by (section, block) index). A computed sentence may be edited
    too: it keeps the sources of the figures and words it still prints, or becomes manual (`drafting.edit_block`)."""
    from kechuang.reports.drafting import edit_block

    if not title.strip():
        raise ValidationError({"title": "标题不能为空。"})
    sections = [dict(s, blocks=[dict(b) for b in s["blocks"]]) for s in draft.sections]
    edited = 0
    for (si, bi), text in texts.items():
        try:
            block = sections[si]["blocks"][bi]
        except (IndexError, TypeError):
            raise ValidationError("要修改的文字块不存在，请刷新页面。") from None
        if block["kind"] == "computed":
            if summary.block_text(block) != text:
                sections[si]["blocks"][bi] = edit_block(block, text)
                edited += 1
            continue
        if block["text"] != text:
            block["text"], block["edited"] = text, True
            edited += 1
    before = {"title": draft.title, "opening": draft.opening, "closing": draft.closing}
    _save(draft, version, sections=sections, title=title.strip(), opening=opening, closing=closing)
    after = {"title": draft.title, "opening": draft.opening, "closing": draft.closing}
    audit.record(
        actor=actor,
        action="summary_draft.edit",
        obj=draft,
        changes={**audit.diff(before, after), "blocks": edited},
    )
    return draft


@transaction.atomic
def draft_regenerate(*, actor, draft: SummaryDraft, version: int, as_of=None) -> int:
    """Recompute every figure (optionally at a new as-of date); staff text stays; returns changed blocks."""
    if as_of is not None and as_of != draft.as_of:
        draft.as_of = as_of
    sections, changed = summary.regenerate_sections(draft.sections, scope_of(draft))
    _save(
        draft,
        version,
        sections=sections,
        changed_count=changed,
        as_of=draft.as_of,
        regenerated_at=dates.now(),
    )
    audit.record(
        actor=actor,
        action="summary_draft.regenerate",
        obj=draft,
        changes={"as_of": draft.as_of.isoformat(), "changed_blocks": changed},
    )
    return changed


@transaction.atomic
def draft_acknowledge(*, actor, draft: SummaryDraft, version: int) -> None:
    """Staff have read the changed figures: clear the flags."""
    sections = [
        dict(
            s, blocks=[{k: v for k, v in b.items() if k not in ("changed", "previous")} for b in s["blocks"]]
        )
        for s in draft.sections
    ]
    _save(draft, version, sections=sections, changed_count=0)
    audit.record(actor=actor, action="summary_draft.acknowledge", obj=draft)


TEMPLATE_FIELDS = ("name", "title", "opening", "closing", "signature")


def _stored_block(block: dict) -> dict:
    if block["kind"] == "generated":
        return {"kind": "generated", "generator": block["generator"]}
    return {"kind": block["kind"], "text": block["text"]}


@transaction.atomic
def template_save(*, actor, template: SummaryTemplate, version: int, fields: dict, sections: list[dict]):
    """Replace a summary template's wording and sections (in the given order); every placeholder must name
    a registered indicator. Audited with the before/after of what changed; drafts already written keep
    their own copy of the sentences."""
    problems = summary.title_problems(fields["title"])
    from kechuang.reports.template_forms import block_line

    for section in sections:
        for block in section["blocks"]:
            problems += summary.check_template_text(block_line(block))
    if problems:
        raise ValidationError(sorted(set(problems)))
    if not sections:
        raise ValidationError("模板至少要有一个章节。")
    keys = [s["key"] for s in sections]
    if len(set(keys)) != len(keys):
        raise ValidationError("章节代码重复。")
    # The stored row, not `template`: a page's form has already written the new wording onto the instance
    # it was given, and a before/after of the same values logs an empty change.
    stored = SummaryTemplate.objects.get(pk=template.pk)
    before = {**audit.snapshot(stored, TEMPLATE_FIELDS), "sections": stored.section_data()}
    updated = SummaryTemplate.objects.filter(pk=template.pk, version=version).update(
        version=version + 1, updated_at=dates.now(), **{k: fields[k] for k in TEMPLATE_FIELDS}
    )
    if not updated:
        raise StaleObject()
    for name in TEMPLATE_FIELDS:
        setattr(template, name, fields[name])
    template.version = version + 1
    template.sections.all().delete()
    rows = [
        SummarySection(
            template=template,
            order=n,
            key=s["key"],
            heading=s["heading"],
            keywords=s["keywords"],
            blocks=[_stored_block(b) for b in s["blocks"]],
        )
        for n, s in enumerate(sections, start=1)
    ]
    for row in rows:
        row.full_clean(exclude=["template"])
    SummarySection.objects.bulk_create(rows)
    after = {**audit.snapshot(template, TEMPLATE_FIELDS), "sections": template.section_data()}
    audit.record(actor=actor, action="summary_template.save", obj=template, changes=audit.diff(before, after))
    return template

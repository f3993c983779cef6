"""Records with history (bitemporal): a revision adds a version and never rewrites the old one.

A versioned model (`Versioned`) keeps, in its own table, one *live* row per record — the row other records
point to, whose primary key never changes — and one closed row per earlier version (`version_of` = the live
row). Each row says from which date Kechuang knew it (`KNOWN_FROM`, a date field of the model: e.g.
`EnterpriseFact.reported_on`, `Qualification.recorded_on`) and until which date (`superseded_on`, None while
it is the newest). What the figure is *about* (the valid period: a statistics period, a certificate's
validity) stays in the model's own fields.

"As known on D" = the rows with KNOWN_FROM ≤ D < superseded_on that are not voided (`known_on`): exactly one
version of each record, or none. A revision (`revise`) first copies the live row as it is into a closed row
(superseded on the revision's date), then changes the live row in place; voiding (`void`, 作废: the record
was a mistake and counts for nothing from the start of its validity) is a revision that marks the live row
`voided`; correcting (`correct`, 更正) is a revision with the new values and a reason. So a figure computed
as of a date before the change is the same before and after it, and nothing is ever deleted.

Managers: `objects` — live rows that are not voided (what lists, forms and other modules read);
`current` — live rows, voided ones included (writers); `versions` — every row (history, as-of reads).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from kechuang.core import dates


class LiveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(superseded_on__isnull=True, voided=False)


class CurrentManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(superseded_on__isnull=True)


class Versioned(models.Model):
    """Abstract: history columns of a versioned record. Subclasses set KNOWN_FROM (a DateField's name)."""

    KNOWN_FROM = "recorded_on"

    version_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="earlier_versions",
        verbose_name="所属记录",
        help_text="历史版本指向其当前记录；当前记录为空",
    )
    superseded_on = models.DateField("被取代日期", null=True, blank=True, editable=False)
    voided = models.BooleanField("已作废", default=False, editable=False)
    change_reason = models.CharField("变更原因", max_length=200, blank=True, editable=False)
    changed_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="变更人"
    )
    recorded_at = models.DateTimeField("入库时间", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    # the first manager is the default one: live rows, not voided
    objects = LiveManager()
    current = CurrentManager()
    versions = models.Manager()  # noqa: DJ012 - the managers above are managers too, in the order that matters

    class Meta:
        abstract = True
        base_manager_name = "versions"

    @property
    def known_from(self) -> dt.date:
        return getattr(self, self.KNOWN_FROM)

    @property
    def state_label(self) -> str:
        if self.voided:
            return "已作废"
        return "当前版本" if self.superseded_on is None else "历史版本"


def known_on_q(model, day: dt.date, prefix: str = "") -> Q:
    """The condition "as known on `day`" over `model`'s rows (optionally through a relation `prefix`)."""
    return (
        Q(**{f"{prefix}{model.KNOWN_FROM}__lte": day})
        & (Q(**{f"{prefix}superseded_on__isnull": True}) | Q(**{f"{prefix}superseded_on__gt": day}))
        & Q(**{f"{prefix}voided": False})
    )


def known_on(queryset: models.QuerySet, day: dt.date) -> models.QuerySet:
    """`queryset` (over `versions`) narrowed to the version of each record known on `day`."""
    return queryset.filter(known_on_q(queryset.model, day))


def history(obj: Versioned) -> models.QuerySet:
    """Every version of `obj`'s record, newest first."""
    model = type(obj)
    live = obj.version_of_id or obj.pk
    return model.versions.filter(Q(pk=live) | Q(version_of_id=live)).order_by(
        "-version", f"-{model.KNOWN_FROM}"
    )


def required_reason(reason: str) -> str:
    """The reason of a void or correction, stripped; refused when blank."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写原因。"})
    return reason


def _copy_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def check_date(obj: Versioned, on: dt.date) -> None:
    if on < obj.known_from:
        raise ValidationError(
            {
                "on": f"变更日期不能早于当前版本的计入日期（{obj.known_from:%Y-%m-%d}）：已计入的历史版本不能改写。"
            }
        )
    if on > dates.today():
        raise ValidationError({"on": "变更日期不能晚于今天。"})


def archive(objs, on: dt.date) -> list[Versioned]:
    """Copy the live rows `objs` (as stored) into closed versions superseded on `on`; returns the copies.

    For bulk writers (imports) that then update the live rows themselves; `revise` does both for one row."""
    objs = list(objs)
    if not objs:
        return []
    model = type(objs[0])
    names = _copy_fields(model)
    stored = {o.pk: o for o in model.versions.filter(pk__in=[o.pk for o in objs])}
    copies = []
    for obj in objs:
        row = stored[obj.pk]
        copy = model(**{name: getattr(row, name) for name in names})
        copy.version_of_id, copy.superseded_on = row.pk, on
        copies.append(copy)
    model.versions.bulk_create(copies)
    return copies


def revise(
    obj: Versioned, *, on: dt.date, actor=None, reason: str = "", voided: bool | None = None, **changes
):
    """Add a version of `obj`'s record known from `on`: the stored state becomes a closed version, the live row
    takes `changes`. The caller validates, checks the optimistic version and audits (one transaction)."""
    return revise_many([(obj, on, changes)], actor=actor, reason=reason, voided=voided)[0]


def revise_many(revisions, *, actor=None, reason: str = "", voided: bool | None = None) -> list[Versioned]:
    """`revise` for many records of one model, (obj, on, changes) each: the stored states are archived in a
    query per date (`archive`), so an import revising thousands of records runs a fixed number of queries.
    The caller saves the live rows (e.g. one `bulk_update`)."""
    by_day: dict[dt.date, list] = {}
    for obj, on, _changes in revisions:
        if obj.superseded_on is not None:
            raise ValidationError("只能修改当前版本。")
        by_day.setdefault(on, []).append(obj)
    for on, objs in by_day.items():
        archive(objs, on)
    now, changed_by = dates.now(), actor if getattr(actor, "pk", None) else None
    for obj, on, changes in revisions:
        for name, value in changes.items():
            setattr(obj, name, value)
        setattr(obj, obj.KNOWN_FROM, on)
        if voided is not None:
            obj.voided = voided
        obj.change_reason = reason[:200]
        obj.changed_by = changed_by
        obj.recorded_at = now
    return [obj for obj, _on, _changes in revisions]


def clean_resolved(obj) -> None:
    """`full_clean` for a batch writer, without a query per record: foreign keys already set as instances (the
    firm, region or actor the writer resolved) are not looked up again, and uniqueness is left to the
    database's constraints (`save_many` refuses the write when one fails)."""
    exclude = [f.name for f in obj._meta.concrete_fields if f.is_relation and f.is_cached(obj)]
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def save_many(model, new: list, revised: list, fields) -> None:
    """Write an import's records in a fixed number of queries: `new` ones inserted (one `bulk_create`, ids
    set on them) and the `revised` live rows (`revise_many`, then validated by the caller) updated in one
    `bulk_update` of `fields` and their version. A record created meanwhile by someone else (the live row's
    unique constraint) refuses the whole write."""
    from django.db import IntegrityError, transaction

    try:
        with transaction.atomic():
            model.versions.bulk_create(new)
    except IntegrityError:
        raise ValidationError("导入期间有人录入了相同的记录，未保存任何数据，请重新导入。") from None
    if revised:
        model.versions.bulk_update(revised, list(dict.fromkeys([*fields, "version", model.KNOWN_FROM])))

"""Villages and their flags, commissioners, guidance persons."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction

from kechuang.agritech.models import (
    Commissioner,
    VillageFlag,
)
from kechuang.core import audit, seed
from kechuang.core.models import Region
from kechuang.core.services import attachment_store
from kechuang.core.uploads import UploadRejected

IMAGE_TYPES = {"image/jpeg", "image/png"}


@transaction.atomic
def villages_import(*, actor, text: str) -> int:
    """Load villages (`code,name,level,parent_code`, level 5) under towns of the actor's region.

    Every row is checked first; one bad row rejects the whole file and nothing is written.
    """
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise ValidationError("文件中没有数据行（表头须为 code,name,level,parent_code）。")
    scope = actor.region.path if getattr(actor, "region_id", None) else None
    towns = {
        r.code: r
        for r in Region.objects.filter(
            code__in={(row.get("parent_code") or "").strip() for row in rows}, level=Region.Level.TOWN
        )
    }
    codes = {(row.get("code") or "").strip() for row in rows}
    # A row may add a village or rename one, never turn another level (a 街道, the district) into a village:
    # that would make a 街道 its own parent, or a parent of a village beneath itself (a cycle).
    taken = dict(
        Region.objects.filter(code__in=codes).exclude(level=Region.Level.VILLAGE).values_list("code", "name")
    )
    errors = []
    for line, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if code and code == (row.get("parent_code") or "").strip():
            errors.append(f"第{line}行：区划 {code} 不能以自身为上级。")
            continue
        if code in taken:
            errors.append(
                f"第{line}行：代码 {code} 已是上级区划“{taken[code]}”，不能作为村居导入（会形成循环上级）。"
            )
            continue
        if (row.get("level") or "").strip() != str(Region.Level.VILLAGE):
            errors.append(f"第{line}行：级别须为5（村居）。")
        town = towns.get((row.get("parent_code") or "").strip())
        if town is None:
            errors.append(f"第{line}行：上级代码须为已有的乡镇街道。")
        elif scope is None or not town.path.startswith(scope):
            errors.append(f"第{line}行：上级乡镇街道 {town.name} 不在您的管理区划内。")
        if town is not None and not code.startswith(town.code):
            errors.append(f"第{line}行：村居代码 {code} 须以所属乡镇街道代码 {town.code} 开头。")
    if errors:
        raise ValidationError(errors)
    count = seed.load_regions(text)
    audit.record(
        actor=actor,
        action="agritech.villages_import",
        object_type="core.region",
        object_repr=f"{count}个村居",
        changes={"codes": [row["code"].strip() for row in rows]},
    )
    return count


@transaction.atomic
def village_flag_set(*, actor, village: Region, year: int, flag: str, source: str = "") -> VillageFlag:
    obj = VillageFlag(village=village, year=year, flag=flag, source=source)
    if village.level != Region.Level.VILLAGE:
        raise ValidationError("只能给村居设置标识。")
    if VillageFlag.objects.filter(village=village, year=year, flag=flag).exists():
        raise ValidationError(f"{village.name}在{year}年已有“{obj.get_flag_display()}”标识。")
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor, action="agritech.village_flag_set", obj=obj, changes={"year": year, "flag": flag}
    )
    return obj


@transaction.atomic
def village_flag_remove(*, actor, flag: VillageFlag) -> None:
    audit.record(
        actor=actor,
        action="agritech.village_flag_remove",
        obj=flag,
        changes={"year": flag.year, "flag": flag.flag},
    )
    flag.delete()


@transaction.atomic
def commissioner_create(*, actor, members=(), **fields) -> Commissioner:
    obj = Commissioner(**fields)
    obj.full_clean()
    if obj.kind == Commissioner.Kind.INDIVIDUAL and not obj.person_id:
        raise ValidationError({"person": "个人特派员须关联人员。"})
    if obj.kind == Commissioner.Kind.ENTITY and not obj.organisation_id:
        raise ValidationError({"organisation": "法人特派员须关联法人单位。"})
    if obj.kind == Commissioner.Kind.TEAM and not (members or obj.person_id):
        raise ValidationError({"members": "团队特派员须有负责人或成员。"})
    obj.save()
    if members:
        obj.members.set(members)
    audit.record(
        actor=actor,
        action="agritech.commissioner_create",
        obj=obj,
        changes={
            **audit.snapshot(obj, ("kind", "name", "source", "level", "expertise", "term_start", "term_end")),
            "members": [m.pk for m in members],
        },
    )
    return obj


@transaction.atomic
def commissioner_set_photo(*, actor, commissioner: Commissioner, data: bytes, original_name: str) -> None:
    photo = store_image(actor=actor, data=data, original_name=original_name, region=commissioner.region)
    Commissioner.objects.filter(pk=commissioner.pk).update(photo=photo)
    commissioner.photo = photo
    audit.record(
        actor=actor, action="agritech.commissioner_photo", obj=commissioner, changes={"photo": photo.pk}
    )


def store_image(*, actor, data: bytes, original_name: str, region=None, kind: str = "agritech_photo"):
    try:
        return attachment_store(
            actor=actor, data=data, original_name=original_name, kind=kind, region=region, allowed=IMAGE_TYPES
        )
    except UploadRejected as exc:
        raise ValidationError(f"{original_name}：{exc}") from None


@transaction.atomic
def commissioner_publish_phone(*, actor, commissioner: Commissioner, phone: str) -> Commissioner:
    """The service phone the commissioner chooses to show on the public 亮牌卡 ('' takes it off)."""
    from kechuang.agritech import permissions
    from kechuang.core.rules import phone_problem

    if not permissions.commissioners.allows(actor, "publish_phone", commissioner):
        raise ValidationError("只有特派员本人或管理部门可以设置公开服务电话。")
    phone = phone.strip()
    if phone and (problem := phone_problem(phone)):
        raise ValidationError({"service_phone": problem})
    before = commissioner.service_phone
    Commissioner.objects.filter(pk=commissioner.pk).update(service_phone=phone)
    commissioner.service_phone = phone
    audit.record(
        actor=actor,
        action="agritech.commissioner_publish_phone",
        obj=commissioner,
        changes={"phone": [before, phone]},
    )
    return commissioner

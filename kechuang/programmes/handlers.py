"""Outcome handlers this module can write for real: qualifications in the enterprises module (HNTE
certificate, city HNTE cultivation pool) through its `qualification_record` service."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.programmes.outcomes import register_outcome


def _qualification(kind_code: str, *, needs_number: bool):
    def handler(*, application, decision, actor, data=None) -> str:
        from kechuang.enterprises import services as enterprise_services
        from kechuang.enterprises.models import Qualification, QualificationKind

        data = data or {}
        if application.organisation_id is None:
            raise ValidationError("该结果只能写入企业。")
        kind = QualificationKind.objects.get(code=kind_code)
        number = data.get("number", "")
        if needs_number and not number:
            raise ValidationError(f"请填写{kind.name}证书编号后再作出批准决定。")
        day = timezone.localdate(decision.decided_at)
        qual = enterprise_services.qualification_record(
            actor=actor,
            organisation=application.organisation,
            kind=kind,
            number=number,
            issued_on=data.get("issued_on", day),
            valid_from=data.get("issued_on", day),
            source=Qualification.Source.PROGRAMME,
            note=f"{application.call}认定结果",
        )
        return f"已登记{kind.name}资质{('（' + qual.number + '）') if qual.number else ''}"

    return handler


register_outcome("hnte", _qualification("hnte", needs_number=True))
register_outcome("city_hnte_pool", _qualification("city_hnte_pool", needs_number=False))

"""Firm-level data of the generator: profiles, yearly figures, qualifications and statistics facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bench.gen_base import AS_OF, YEARS, _log


class EnterpriseData:
    """Mixed into `bench.generate.Generator` (uses its rng, scale, regions and firm rows)."""

    def enterprise_data(self):
        from kechuang.core.bulk import insert_rows as insert
        from kechuang.core.models import DictItem
        from kechuang.enterprises.models import (
            EnterpriseProfile,
            EnterpriseYear,
            Qualification,
            QualificationKind,
        )

        rng = self.rng
        fields = list(DictItem.objects.filter(dict_type__code="hnte_field").values_list("pk", flat=True)) or [
            None
        ]
        kinds = {k.code: k.pk for k in QualificationKind.objects.all()}
        now = dt.datetime(2020, 11, 30, 9, tzinfo=dt.UTC)
        profiles, years, quals = [], [], []
        for pk, _district, _town, above in self.firm_rows:
            staff = rng.randint(20, 2000) if above else rng.randint(3, 300)
            profiles.append(
                (
                    pk,
                    rng.choice(["large", "medium", "small", "micro"]),
                    above,
                    "",
                    rng.choice(fields),
                    None,
                    staff,
                    max(1, staff // rng.randint(3, 12)),
                    rng.randrange(4),
                    rng.randrange(20),
                    True,
                    rng.randrange(2),
                    False,
                    rng.random() < 0.05,
                    rng.randint(8, 20),
                    True,
                    True,
                    1,
                    now,
                )
            )
            revenue = Decimal(rng.randint(500, 200_000)) * 10_000 * (5 if above else 1)
            for year in YEARS:
                if rng.random() < 0.15:
                    continue
                r = (revenue * Decimal(rng.uniform(0.8, 1.2))).quantize(Decimal(1))
                years.append(
                    (
                        pk,
                        year,
                        r,
                        r,
                        (r * Decimal("0.7")).quantize(Decimal(1)),
                        (r * Decimal("0.05")).quantize(Decimal(1)),
                        (r * Decimal("0.05")).quantize(Decimal(1)),
                        r,
                        r * 2,
                        (r * Decimal("0.8")).quantize(Decimal(1)),
                        staff,
                        max(1, staff // 8),
                        rng.randrange(6),
                    )
                )
            roll = rng.random()
            if roll < 0.08:
                start = dt.date(2018 + rng.randrange(3), 11, 1)
                quals.append(
                    (
                        pk,
                        kinds["hnte"],
                        f"GR{start.year}370{pk:07d}",
                        start,
                        start,
                        start.replace(year=start.year + 3) - dt.timedelta(days=1),
                        "manual",
                        "active",
                        "",
                        start,
                    )
                )
            if roll < 0.25 and "tech_sme" in kinds:
                quals.append(
                    (
                        pk,
                        kinds["tech_sme"],
                        "",
                        dt.date(2020, 5, 1),
                        dt.date(2020, 5, 1),
                        dt.date(2020, 12, 31),
                        "manual",
                        "active",
                        "",
                        dt.date(2020, 5, 1),
                    )
                )
        insert(
            EnterpriseProfile,
            [
                "organisation_id",
                "scale",
                "above_size",
                "main_products",
                "hnte_field_id",
                "key_industry_id",
                "staff_count",
                "st_staff_count",
                "ip_class1",
                "ip_class2",
                "ip_own_rnd",
                "standards_led",
                "national_award_5y",
                "provincial_rnd_institution",
                "rnd_org_score",
                "compliance_ok",
                "catalogue_ok",
                "version",
                "updated_at",
            ],
            profiles,
        )
        insert(
            EnterpriseYear,
            [
                "organisation_id",
                "year",
                "sales_revenue",
                "total_revenue",
                "high_tech_income",
                "rnd_expense",
                "rnd_domestic",
                "net_assets",
                "total_assets",
                "total_costs",
                "staff",
                "st_staff",
                "conversions",
            ],
            years,
        )
        insert(
            Qualification,
            [
                "organisation_id",
                "kind_id",
                "number",
                "issued_on",
                "valid_from",
                "valid_until",
                "source",
                "status",
                "note",
                "recorded_on",  # known from the issue date, as `qualification_record` defaults it
            ],
            quals,
        )
        _log(f"profiles {len(profiles)}, enterprise years {len(years)}, qualifications {len(quals)}", self.t0)

    def statistics(self):
        """Annual facts for every firm for three years; monthly 快报 for the 规上 firms (each month of 3 years),
        except with `--firms-only` (benchmarks 4 and 9 read the annual facts alone: 0.6M rows at full scale
        instead of 2M)."""
        from django.db import transaction

        from kechuang.core.bulk import insert_rows as insert
        from kechuang.statistics import totals
        from kechuang.statistics.models import EnterpriseFact

        rng = self.rng
        columns = [
            "organisation_id",
            "town_id",
            "year",
            "quarter",
            "month",
            "rd_internal",
            "rd_hnte",
            "rd_super_deduction",
            "has_rd_projects",
            "rd_project_count",
            "operating_revenue",
            "sales_revenue",
            "hightech_income",
            "industrial_output",
            "hightech_output",
            "above_size",
            "staff",
            "st_staff",
            "net_assets",
            "total_assets",
            "total_costs",
            "status",
            "source",
            "reported_on",
            "submitted_at",
            "version",
        ]
        submitted = dt.datetime(2020, 11, 20, 10, tzinfo=dt.UTC)
        cent = Decimal("0.01")

        def rows():
            for pk, _district, town, above in self.firm_rows:
                base = Decimal(rng.randint(200, 80_000))
                for year in YEARS:
                    months = range(1, 13) if above and not self.firms_only else ()
                    periods = [(None, m) for m in months if (year, m) <= (AS_OF.year, AS_OF.month - 1)] + [
                        (None, None)
                    ]
                    for quarter, month in periods:
                        f = (base / (12 if month else 1) * Decimal(rng.uniform(0.85, 1.15))).quantize(cent)
                        rd = (f * Decimal("0.03")).quantize(cent)
                        yield (
                            pk,
                            town,
                            year,
                            quarter,
                            month,
                            rd,
                            rd,
                            rd,
                            rd > 0,
                            1 + rng.randrange(5),
                            f,
                            f,
                            (f * Decimal("0.4")).quantize(cent),
                            f if above else None,
                            (f * Decimal("0.3")).quantize(cent) if above else None,
                            above,
                            rng.randint(5, 900),
                            rng.randint(1, 90),
                            f,
                            f * 2,
                            (f * Decimal("0.8")).quantize(cent),
                            "final" if year < 2020 else ("preliminary" if month else "estimate"),
                            "staff_import",
                            dt.date(year if month else year + 1, month or 3, 15)
                            if (month or year < 2020)
                            else AS_OF,
                            submitted,
                            1,
                        )

        count = insert(EnterpriseFact, columns, rows())
        _log(f"statistics facts: {count}", self.t0)
        with (
            transaction.atomic()
        ):  # the summary the indicators read (statistics.totals), as every write keeps it
            totals.rebuild()
        _log("statistics totals rebuilt", self.t0)

    # --- programmes, projects, vouchers ----------------------------------------------------------

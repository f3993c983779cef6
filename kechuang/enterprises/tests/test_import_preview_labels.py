"""The import preview (issue 27) shows a choice column as its labels — 小型 → 中型, 微型 — never the stored codes
(`small`, `medium`), for a changed firm and for a new one, on the page a member of staff confirms from."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.imports import jobs
from kechuang.core.models import Job
from kechuang.core.tests.factories import OrganisationFactory, _credit_code
from kechuang.enterprises.models import EnterpriseProfile
from kechuang.enterprises.tests.test_firm_import_undo import sheet

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_firm_import_preview_shows_scale_labels_not_codes(
    client, staff, town, django_capture_on_commit_callbacks
):
    firm = OrganisationFactory(region=town)
    EnterpriseProfile.objects.create(organisation=firm, scale=EnterpriseProfile.Scale.SMALL)
    header = ["企业名称", "统一社会信用代码", "所在镇街", "企业规模"]
    rows = [
        [firm.name, firm.credit_code, town.name, "中型"],
        ["淄博预览标签有限公司", _credit_code(920001), town.name, "micro"],
    ]
    data = sheet(rows, header=header)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("core:import_upload", args=["enterprises"]),
            {"file": SimpleUploadedFile("名单.xlsx", data, XLSX)},
        )
    job = Job.objects.filter(kind=jobs.PREVIEW_KIND).latest("pk")
    page = client.get(reverse("core:import_job_result", args=[job.pk])).content.decode()
    assert "新增 <strong>1</strong> 行，修改 <strong>1</strong> 行" in page, page[-2000:]
    assert re.search(r"企业规模：\s*小型 → 中型", page), "the changed firm's scale is not shown as labels"
    assert re.search(r"企业规模：\s*微型", page), (
        "the new firm's scale (given as the code micro) is not its label"
    )
    shown = re.sub(r"<[^>]+>", " ", page[page.index("企业规模") :])
    assert not re.search(r"(?<![A-Za-z])(small|medium|micro|large)(?![A-Za-z])", shown)

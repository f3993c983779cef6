"""The village CSV import never makes a region its own parent or ancestor (issue 25)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.agritech import services
from kechuang.core import seed
from kechuang.core.models import Region

pytestmark = pytest.mark.django_db
HEADER = "code,name,level,parent_code\n"


def _snapshot(code: str):
    return Region.objects.filter(code=code).values("name", "level", "parent_id", "path").get()


def test_a_street_cannot_be_imported_as_its_own_parent(staff, town):
    before = _snapshot(town.code)
    with pytest.raises(ValidationError) as exc:
        services.villages_import(actor=staff, text=HEADER + f"{town.code},自环村,5,{town.code}\n")
    assert f"第2行：区划 {town.code} 不能以自身为上级" in " ".join(exc.value.messages)
    assert _snapshot(town.code) == before


def test_a_street_cannot_be_turned_into_a_village_of_another_street(staff, town):
    other = Region.objects.filter(level=Region.Level.TOWN, parent=town.parent).exclude(pk=town.pk).first()
    before = _snapshot(town.code)
    text = HEADER + f"{other.code}301,甲村,5,{other.code}\n{town.code},改挂村,5,{other.code}\n"
    with pytest.raises(ValidationError) as exc:
        services.villages_import(actor=staff, text=text)
    assert f"第3行：代码 {town.code} 已是上级区划" in " ".join(exc.value.messages)
    assert _snapshot(town.code) == before
    assert not Region.objects.filter(code=f"{other.code}301").exists()  # one bad row: nothing written


def test_the_page_shows_the_row_number(client, staff, town):
    client.force_login(staff)
    page = client.post(
        reverse("agritech:village_import"),
        {"file": SimpleUploadedFile("v.csv", (HEADER + f"{town.code},自环村,5,{town.code}\n").encode())},
    )
    assert "第2行" in page.content.decode() and "不能以自身为上级" in page.content.decode()
    assert Region.objects.get(code=town.code).parent_id != Region.objects.get(code=town.code).pk


def test_the_region_loader_refuses_a_cycle(district, town):
    with pytest.raises(ValidationError, match="不能以自身或其下级"):
        seed.load_regions(HEADER + f"{district.code},周村区,3,{town.code}\n")
    with pytest.raises(ValidationError, match="不能以自身或其下级"):
        seed.load_regions(HEADER + f"{town.code},自环,4,{town.code}\n")
    assert Region.objects.get(code=district.code).parent_id != town.pk

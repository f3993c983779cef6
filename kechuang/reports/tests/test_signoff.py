"""拟稿 → 核稿 → 签发: who may take each step (the policy), 文号 allocated once at signing, the signed file
frozen while a claim that changes afterwards is flagged on the draft page; the 公文's parts."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from kechuang.core.tests.factories import UserFactory
from kechuang.reports import docx_layout, gongwen, services, signoff
from kechuang.reports.gongwen.titles import break_title, width
from kechuang.reports.models import DocumentCounter, SignedDocument
from kechuang.reports.seed import ensure_seed_template
from kechuang.reports.tests.signing import sign_off

pytestmark = pytest.mark.django_db
ON = dt.date(2020, 12, 1)


@pytest.fixture
def draft(staff, district, scope, hnte_firms):
    hnte_firms(3)
    return services.draft_generate(actor=staff, template=ensure_seed_template(district), scope=scope)


def test_titles_break_between_words_never_inside_one():
    assert break_title("关于区政协十三届四次会议第134092号提案的答复") == [
        "关于区政协十三届四次会议",
        "第134092号提案的答复",
    ]
    # The renderer's limit at 2号 in 156 mm: the 人大 session's name stays whole, the break is before 第20号.
    assert break_title("关于区十八届人大四次会议第20号建议的答复", 19) == [
        "关于区十八届人大四次会议",
        "第20号建议的答复",
    ]
    lines = break_title("关于进一步加大科技创新力度促进产业转型发展的提案的答复意见")
    assert lines == ["关于进一步加大科技创新力度", "促进产业转型发展的提案的答复意见"]
    for title in (
        "周村区科学技术局关于支持企业引进高层次人才工作情况的报告",
        "关于下达2020年度区级科技计划项目的通知",
    ):
        lines = break_title(title)
        assert "".join(lines) == title and all(width(line) <= 20 for line in lines)
        assert not any(line.startswith(("的", "和")) or line.endswith(("关于", "第")) for line in lines)
        assert not any(
            a.endswith("答") and b.startswith("复") for a, b in zip(lines, lines[1:], strict=False)
        )


def test_the_steps_follow_the_policy_and_the_guards(draft, staff, district, other_district):
    checker = UserFactory(staff=True, region=district)
    leader = UserFactory(leader=True, region=district)
    with pytest.raises(ValidationError, match="稿件当前所处环节"):
        signoff.draft_check(actor=checker, draft=draft, version=draft.version)
    signoff.draft_submit(actor=staff, draft=draft, version=draft.version)
    with pytest.raises(ValidationError, match="核稿中，不能修改"):
        services.draft_regenerate(actor=staff, draft=draft, version=draft.version)
    with pytest.raises(ValidationError, match="核稿人不能是拟稿人本人"):
        signoff.draft_check(actor=staff, draft=draft, version=draft.version)
    with pytest.raises(ValidationError, match="退回修改须填写意见"):
        signoff.draft_return(actor=checker, draft=draft, version=draft.version, comment=" ")
    with pytest.raises(PermissionDenied):  # another district's staff; staff never sign
        signoff.draft_check(
            actor=UserFactory(staff=True, region=other_district), draft=draft, version=draft.version
        )
    signoff.draft_check(actor=checker, draft=draft, version=draft.version)
    with pytest.raises(PermissionDenied):
        signoff.draft_sign(actor=checker, draft=draft, version=draft.version)
    with pytest.raises(PermissionDenied):  # the city's leader does not sign a district bureau's document
        signoff.draft_sign(
            actor=UserFactory(leader=True, region=district.parent), draft=draft, version=draft.version
        )
    signed = signoff.draft_sign(actor=leader, draft=draft, version=draft.version, on=ON)
    draft.refresh_from_db()
    assert draft.stage == "signed" and signed.number == "周科字〔2020〕1号" and signed.checked_by == checker
    assert [v.stage for v in draft.versions.all()] == ["checking", "signed"]
    assert list(draft.comments.values_list("action", flat=True)) == ["submit", "check", "sign"]
    with pytest.raises(ValidationError, match="已签发，不能修改"):
        services.draft_regenerate(actor=staff, draft=draft, version=draft.version)


def test_numbers_are_per_bureau_and_year_allocated_once_and_never_reused(district, other_district, town):
    assert signoff.number_allocate(region=district, kind="函", year=2020) == (1, "周科函〔2020〕1号")
    assert signoff.number_allocate(region=town, kind="函", year=2020) == (2, "周科函〔2020〕2号")
    assert signoff.number_allocate(region=district, kind="函", year=2021)[1] == "周科函〔2021〕1号"
    assert signoff.number_allocate(region=district, kind="字", year=2020)[1] == "周科字〔2020〕1号"
    assert signoff.number_allocate(region=other_district, kind="函", year=2020)[0] == 1
    assert DocumentCounter.objects.get(region=district, kind="函", year=2020).last == 2


def test_a_claim_changed_after_signing_is_flagged_and_the_signed_file_is_unchanged(
    client, draft, staff, district, hnte_firms
):
    signed = sign_off(draft, staff, on=ON)
    stored = bytes(signed.docx)
    assert hashlib.sha256(stored).hexdigest() == signed.docx_sha256
    texts = [p.text for p in Document(io.BytesIO(stored)).paragraphs]
    assert "周村区科学技术局文件" in texts and any(
        "周科字〔2020〕1号" in t and "签发人：" in t for t in texts
    )
    client.force_login(staff)
    page = client.get(reverse("reports:draft_detail", args=[draft.pk])).content.decode()
    assert "data-signed-changed" not in page and "周科字〔2020〕1号" in page
    pdf_url = reverse("reports:signed_download", args=[draft.pk, "pdf"])
    pdf = client.get(pdf_url).content if docx_layout.office_binary() else None

    hnte_firms(1)  # a certificate recorded after signing, valid on the draft's as-of date
    page = client.get(reverse("reports:draft_detail", args=[draft.pk])).content.decode()
    assert "data-signed-changed" in page and "data-claim-problem" in page
    response = client.get(reverse("reports:signed_download", args=[draft.pk, "docx"]))
    assert response.status_code == 200 and response.content == stored
    redirect = client.get(reverse("reports:draft_download", args=[draft.pk, "docx"]))
    assert redirect.status_code == 302  # the draft's Word download is the signed file, not a 409
    assert SignedDocument.objects.get(pk=signed.pk).docx_sha256 == signed.docx_sha256
    if pdf is not None:  # the PDF was converted once, from the stored .docx, and is served as kept
        assert pdf.startswith(b"%PDF") and client.get(pdf_url).content == pdf


def test_other_districts_get_404_on_the_sign_off(client, draft, other_district):
    client.force_login(UserFactory(leader=True, region=other_district))
    url = reverse("reports:draft_signoff", args=[draft.pk])
    assert client.post(url, {"action": "sign", "version": draft.version}).status_code == 404
    assert client.get(reverse("reports:signed_download", args=[draft.pk, "docx"])).status_code == 404


def test_the_sign_off_panel_offers_each_person_their_step(client, draft, staff, district):
    client.force_login(staff)
    url = reverse("reports:draft_signoff", args=[draft.pk])
    assert client.post(url, {"action": "submit", "version": draft.version}).status_code == 302
    page = client.get(reverse("reports:draft_detail", args=[draft.pk])).content.decode()
    assert 'data-step="check"' in page and "核稿人不能是拟稿人本人" in page
    draft.refresh_from_db()
    response = client.post(url, {"action": "return", "version": draft.version, "comment": ""})
    assert response.status_code == 400 and "退回修改须填写意见" in response.content.decode()


def test_a_gongwen_has_its_parts():
    doc = gongwen.Gongwen(
        mark="张店区科学技术局文件",
        number="张科函〔2021〕3号",
        issuer="邵国栋",
        title="关于区十八届人大四次会议第20号建议的答复",
        addressee="王丽代表",
        body=[gongwen.Para("您提出的《关于加强农业科技特派员服务的建议》收悉，现答复如下：")],
        signature="张店区科学技术局",
        date=dt.date(2021, 3, 5),
        attachments=["科技特派员名单"],
        note="联系人及电话：韩雪 0533-2180000",
        copies_to=["张店区人大常委会代表工作委员会"],
        printer="张店区科学技术局办公室",
        printed_on=dt.date(2021, 3, 5),
    )
    document = Document(io.BytesIO(gongwen.render_docx(doc)))
    texts = [p.text for p in document.paragraphs]
    mark = document.paragraphs[0]
    assert mark.text == "张店区科学技术局文件" and str(mark.runs[0].font.color.rgb) == "FF0000"
    number = next(p for p in document.paragraphs if p.text.startswith("张科函〔2021〕3号"))
    assert "签发人：邵国栋" in number.text and 'w:color="FF0000"' in number._p.xml  # the red line under it
    assert "王丽代表：" in texts and "附件：科技特派员名单" in texts
    assert (
        "张店区科学技术局" in texts
        and "2021年3月5日" in texts
        and "（联系人及电话：韩雪 0533-2180000）" in texts
    )
    imprint = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "抄送：张店区人大常委会代表工作委员会。" in imprint and "2021年3月5日印发" in imprint
    assert gongwen.Gongwen.from_dict(doc.as_dict()) == doc


@pytest.mark.django_db(transaction=True)
def test_concurrent_signings_never_share_a_number(district):
    """Eight signings at once (PostgreSQL: each in its own connection and transaction) get eight numbers."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the row lock is what PostgreSQL needs")
    numbers, barrier = [], threading.Barrier(8)

    def sign():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(signoff.number_allocate(region=district, kind="函", year=2020)[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == list(range(1, 9))

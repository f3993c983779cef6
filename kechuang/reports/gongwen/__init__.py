"""A 公文 (GB/T 9704-2012, 文件格式) as data, rendered to .docx and PDF — usable by any app.

    from kechuang.reports import gongwen
    doc = gongwen.Gongwen(
        mark="周村区科学技术局文件", number="周科函〔2020〕15号", issuer="张三",
        title="关于区政协十三届四次会议第134092号提案的答复", addressee="郭帅委员",
        body=[gongwen.Para("您提出的……收悉，现答复如下："), gongwen.Para("……", heading="一、关于……。")],
        signature="周村区科学技术局", date=dt.date(2020, 11, 30),
        note="联系人及电话：区科技局办公室 0533-6418888",
        copies_to=["区政协提案委员会"], printer="周村区科学技术局办公室", printed_on=dt.date(2020, 11, 30),
    )
    data = gongwen.render_docx(doc)          # bytes of a .docx
    pdf = gongwen.render_pdf(doc)            # LibreOffice; raises docx_layout.PdfUnavailable

`gongwen.for_bureau(region, …)` fills the mark, signature and 印发机关 from the bureau serving a region
(`reports/bureau.py`). The 文号 of a signed document comes from `services.number_allocate` (one counter per
bureau, kind and year; allocated once, at signing, never reused). An unsigned render sets `draft_mark`
("草稿（未签发）"): no 文号, no 签发人, and the mark is printed in every page header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Para:
    """A body paragraph: an optional inline heading (一、黑体 / （一）楷体) followed by text."""

    text: str
    heading: str = ""
    indent: bool = True


@dataclass(frozen=True)
class Gongwen:
    mark: str  # 发文机关标志, printed red: 周村区科学技术局文件
    title: str
    signature: str  # 发文机关署名
    date: dt.date  # 成文日期
    body: list[Para] = field(default_factory=list)
    number: str = ""  # 发文字号: 周科函〔2020〕15号 (allocated at signing)
    issuer: str = ""  # 签发人 (上行文 and replies the bureau's leader signs); empty: none printed
    addressee: str = ""  # 主送机关 (or the member a reply goes to), without the colon
    attachments: list[str] = field(default_factory=list)  # 附件说明
    note: str = ""  # 附注 (联系人及电话), printed in brackets below the date
    copies_to: list[str] = field(default_factory=list)  # 抄送
    printer: str = ""  # 印发机关
    printed_on: dt.date | None = None  # 印发日期
    corner: str = ""  # first line of the type area, top left (份号's place): a reply's 办理结果 "A"
    seal: bool = True  # leave the 印章 position over the signature and date
    draft_mark: str = ""  # "草稿（未签发）" on unsigned renders

    def as_dict(self) -> dict:
        """Plain data (JSON-safe): what a signed document stores as its reproducible snapshot."""
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["printed_on"] = self.printed_on.isoformat() if self.printed_on else ""
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Gongwen:
        data = dict(data)
        data["date"] = dt.date.fromisoformat(data["date"])
        data["printed_on"] = dt.date.fromisoformat(data["printed_on"]) if data.get("printed_on") else None
        data["body"] = [Para(**p) for p in data.get("body", [])]
        return cls(**data)


def for_bureau(region, **fields) -> Gongwen:
    """A 公文 of the bureau serving `region`: its 发文机关标志, 署名 and 印发机关 (its 办公室)."""
    from kechuang.core.bureau import identity

    bureau = identity(region)
    fields.setdefault("mark", bureau.mark)
    fields.setdefault("signature", bureau.signature)
    fields.setdefault("printer", f"{bureau.name}办公室")
    return Gongwen(**fields)


def render_docx(doc: Gongwen) -> bytes:
    from kechuang.reports.gongwen import render

    return render.to_docx(doc)


def render_pdf(doc: Gongwen) -> bytes:
    from kechuang.reports import docx_layout

    return docx_layout.to_pdf(render_docx(doc))

"""Pure rules of an application form's fields beyond their types: routing a value to an application column
(the technical field the expert draw matches on) and the file kinds and size limit of each attachment slot."""

from __future__ import annotations

# A field may route its value to a column of the application, read by the engine (the expert draw matches
# experts by `field_code`): {"key": "field", "type": "choice", ..., "route": "field_code"}.
ROUTES = {"field_code": "技术领域（专家抽取按领域匹配）"}


def routed_values(schema, data: dict) -> dict[str, str]:
    """The application columns set from the form: {"field_code": "A01"} (empty values leave them as they are)."""
    out = {}
    for f in schema or []:
        route = f.get("route") if isinstance(f, dict) else None
        if route in ROUTES and data.get(f["key"]) not in (None, ""):
            out[route] = str(data[f["key"]]).strip()[:20]
    return out


# Per-slot file kinds: an attachment field may declare "accept": ["pdf", "image", "docx", "xlsx"] and
# "max_mb"; uploads to the slot are checked against them (by content, `core.uploads`).
FILE_KINDS = {
    "pdf": ("application/pdf",),
    "image": ("image/jpeg", "image/png"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
}
FILE_KIND_LABELS = {
    "pdf": "PDF",
    "image": "图片（JPG/PNG）",
    "docx": "Word（.docx）",
    "xlsx": "Excel（.xlsx）",
}


def accept_problems(f: dict) -> list[str]:
    if f.get("type") != "attachment":
        return []
    errors = []
    accept = f.get("accept")
    if accept is not None and (
        not isinstance(accept, list) or not accept or any(k not in FILE_KINDS for k in accept)
    ):
        errors.append(f"附件“{f['label']}”的文件类型须为 {'、'.join(FILE_KINDS)} 中的一种或几种。")
    max_mb = f.get("max_mb")
    if max_mb is not None and (not isinstance(max_mb, int) or not 1 <= max_mb <= 50):
        errors.append(f"附件“{f['label']}”的大小上限须为 1–50 MB 的整数。")
    return errors


def slot_types(f: dict) -> set[str] | None:
    """The content types an attachment slot accepts (None: every type uploads accept)."""
    accept = f.get("accept")
    if not accept:
        return None
    return {t for kind in accept for t in FILE_KINDS.get(kind, ())}


def slot_hint(f: dict) -> str:
    """What the slot takes, for its label: "PDF、图片（JPG/PNG），不超过 10 MB"."""
    parts = []
    if f.get("accept"):
        parts.append("、".join(FILE_KIND_LABELS[k] for k in f["accept"] if k in FILE_KIND_LABELS))
    if f.get("max_mb"):
        parts.append(f"不超过 {f['max_mb']} MB")
    return "，".join(parts)

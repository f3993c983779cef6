"""A bureau's identity on its documents, from its region: 周村区 → 周村区科学技术局, 发文机关标志
"周村区科学技术局文件", 文号 prefix 周科 (周科函〔2020〕15号), signature 周村区科学技术局. A city (淄博市)
gets 淄博市科学技术局 / 淄科; a user of a town works for the bureau of its district.

Pure derivation: the same region always gives the same identity, so a page header, a template's
signature and a letter's 版头 never disagree; nothing of one bureau is shown to another.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

BUREAU_LEVELS = (1, 2, 3)  # province, city, district/county: the levels that have a 科学技术局


@dataclass(frozen=True)
class Bureau:
    region_code: str
    region_name: str
    name: str  # 周村区科学技术局
    short: str  # 区科技局 (how the bureau names itself in a letter)
    mark: str  # 发文机关标志: 周村区科学技术局文件
    number_prefix: str  # 周科
    signature: str  # 发文机关署名

    def number(self, kind: str, year: int, serial: int) -> str:
        """发文字号: 周科函〔2020〕15号 (kind 函 for letters, 字 for documents)."""
        return f"{self.number_prefix}{kind}〔{year}〕{serial}号"


def bureau_region(region):
    """The region whose bureau serves `region`: itself at district level or above, else its district."""
    node = region
    while node is not None and node.level not in BUREAU_LEVELS:
        node = node.parent
    return node or region


def identity(region) -> Bureau:
    region = bureau_region(region)
    name = f"{region.name}科学技术局"
    level_word = region.name[-1] if region.name[-1] in "省市区县旗" else "区"
    stem = region.name
    for suffix in ("自治县", "自治旗", "区", "县", "市", "省", "旗"):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    return Bureau(
        region_code=region.code,
        region_name=region.name,
        name=name,
        short=f"{level_word}科技局",
        mark=f"{name}文件",
        number_prefix=f"{stem[0]}科",
        signature=name,
    )


_HEADER_NAMES: dict[tuple[str, int], str] = {}  # (kind, id) → bureau name; region names do not change


def for_user(user) -> str:
    """The bureau name a page header shows: the user's own bureau (enterprise users: the bureau of their
    organisation's region); the deployment's name for visitors and accounts without either. Kept per process
    by region (or organisation) id, so a page costs no query for it after the first."""
    if user is None or not user.is_authenticated:
        return settings.KECHUANG["BUREAU_NAME"]
    if getattr(user, "region_id", None):
        key = ("region", user.region_id)
    elif getattr(user, "organisation_id", None):
        key = ("organisation", user.organisation_id)
    else:
        return settings.KECHUANG["BUREAU_NAME"]
    if key not in _HEADER_NAMES:
        region = user.region if key[0] == "region" else user.organisation.region
        if len(_HEADER_NAMES) > 4096:
            _HEADER_NAMES.clear()
        _HEADER_NAMES[key] = identity(region).name if region is not None else settings.KECHUANG["BUREAU_NAME"]
    return _HEADER_NAMES[key]

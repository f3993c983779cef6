"""Safe placeholder filling for text users write (titles, letters): `{name}` for a fixed set of names.

User text never goes through `str.format`/`format_map`: a format spec there runs user-chosen code paths
(`{region:>99999999}` builds a 100 MB string, `{region.__class__}` reads attributes, a bad spec raises in
every render). Here a placeholder is exactly `{name}` with `name` among the caller's names; any other
brace is kept as written. `problems()` says in Chinese what a template does wrong, for checks on save.
Pure: no Django imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
BRACED = re.compile(r"\{[^{}]*\}")


def fill(template: str, values: Mapping[str, object]) -> str:
    """`template` with each `{name}` whose name is in `values` replaced by `str(value)`; nothing else."""

    def one(match: re.Match) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(one, template)


def problems(template: str, names: Mapping[str, str]) -> list[str]:
    """Chinese problems of `template` given the allowed `names` (name → what it stands for)."""
    allowed = "、".join(f"{{{n}}}（{label}）" for n, label in names.items())
    out = []
    for braced in BRACED.finditer(template):
        match = PLACEHOLDER.fullmatch(braced.group(0))
        if match is None or match.group(1) not in names:
            out.append(f"不支持的占位符 {braced.group(0)}：只能使用 {allowed}，且不能带格式说明。")
    rest = BRACED.sub("", template)
    if "{" in rest or "}" in rest:
        out.append("花括号不成对。")
    return out

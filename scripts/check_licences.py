"""Check that every package Kechuang ships with may be distributed with it under Mulan PSL v2.

Walks the installed distribution of `kechuang` and everything its runtime requirements (and the extras named
in them, plus the optional `s3` extra a deployment may install) pull in, reads each package's licence from its
metadata (License-Expression, else License, else its trove classifiers) and checks it against the licences
that can be combined with a Mulan PSL v2 work (docs/adr/0013-open-licence.md). A package whose licence is
missing, unknown or not on the list fails the check: add it to REVIEWED below only after reading its licence.

Run by `make lint`; exit status 1 on any failure. Development tools (pytest, ruff, …) are not shipped and are
not checked.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata

from packaging.requirements import Requirement

PROJECT = "kechuang"
# Extras of the project that a deployment may install (pyproject.toml [project.optional-dependencies]).
DEPLOYED_EXTRAS = ("s3",)

# Licences that a Mulan PSL v2 work may depend on and be distributed with: permissive licences, and the
# weak-copyleft licences whose terms stay with the library's own files (MPL-2.0) or allow use as an unmodified,
# separately installed library (LGPL: psycopg is imported, never copied or modified).
COMPATIBLE = {
    "0BSD",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "CC0-1.0",
    "HPND",
    "ISC",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-2.0",
    "MulanPSL-2.0",
    "PSF-2.0",
    "Python-2.0",
    "Unlicense",
    "Zlib",
}

# What free-text License fields and trove classifiers say, as SPDX identifiers.
ALIASES = {
    "apache 2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "apache-2.0": "Apache-2.0",
    "bsd": "BSD-3-Clause",
    "bsd license": "BSD-3-Clause",
    "bsd-3-clause": "BSD-3-Clause",
    "bsd-2-clause": "BSD-2-Clause",
    "isc license (iscl)": "ISC",
    "mit": "MIT",
    "mit license": "MIT",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "psfl": "PSF-2.0",
    "python software foundation license": "PSF-2.0",
    "gnu lesser general public license v3 (lgplv3)": "LGPL-3.0-only",
    "the unlicense (unlicense)": "Unlicense",
}

# Packages whose metadata does not name one licence, read by hand: name -> (SPDX expression, where it says so).
REVIEWED = {
    "python-dateutil": ("Apache-2.0 OR BSD-3-Clause", "LICENSE: dual licensed, Apache 2.0 and BSD 3-Clause"),
}


def spdx_of(dist: metadata.Distribution) -> str | None:
    """The package's licence as an SPDX expression, or None when its metadata does not say."""
    name = canonical(dist.metadata["Name"])
    if name in REVIEWED:
        return REVIEWED[name][0]
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"].strip()
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 80:
        known = ALIASES.get(text.lower())
        if known or text in COMPATIBLE:
            return known or text
    classifiers = [
        c.rsplit("::", 1)[1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.count("::") >= 2 and "OSI Approved ::" in c
    ]
    ids = {ALIASES.get(c.lower()) for c in classifiers}
    if len(classifiers) == 1 and None not in ids:
        return ids.pop()
    return None


def allowed(expression: str) -> bool:
    """True if the SPDX expression can be met with compatible licences (any OR branch, every AND part)."""
    expression = expression.replace("(", " ").replace(")", " ")
    return any(
        all(part.strip() in COMPATIBLE for part in re.split(r"\s+AND\s+", branch))
        for branch in re.split(r"\s+OR\s+", expression)
    )


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def shipped() -> dict[str, metadata.Distribution]:
    """Every installed distribution the project's runtime (with its deployed extras) needs, by canonical name."""
    found: dict[str, metadata.Distribution] = {}
    todo = [(PROJECT, set(DEPLOYED_EXTRAS))]
    while todo:
        name, extras = todo.pop()
        key = canonical(name)
        if key in found and not extras:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise SystemExit(
                f"未安装 {name}（{PROJECT} 的依赖）：先运行 make setup / {name} is not installed"
            ) from None
        found[key] = dist
        for line in dist.requires or []:
            req = Requirement(line)
            wanted = [""] + sorted(extras)
            if req.marker and not any(req.marker.evaluate({"extra": extra}) for extra in wanted):
                continue
            todo.append((req.name, set(req.extras)))
    found.pop(PROJECT, None)
    return found


def main() -> int:
    problems = []
    for key, dist in sorted(shipped().items()):
        expression = spdx_of(dist)
        if expression is None:
            problems.append(
                f"{key} {dist.version}: 元数据未写明许可证，请核对后加入 REVIEWED / licence unknown"
            )
        elif not allowed(expression):
            problems.append(
                f"{key} {dist.version}: {expression} 与木兰宽松许可证第2版不兼容 / not compatible"
            )
    if problems:
        print(
            "依赖许可证检查未通过 / dependency licence check failed:", *problems, sep="\n  ", file=sys.stderr
        )
        return 1
    print(f"依赖许可证检查通过：{len(shipped())} 个依赖均与 MulanPSL-2.0 兼容")
    return 0


if __name__ == "__main__":
    sys.exit(main())

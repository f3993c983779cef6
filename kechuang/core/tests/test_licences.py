"""scripts/check_licences.py: which dependency licences may ship with a Mulan PSL v2 work."""

import importlib.util
from email.message import Message
from pathlib import Path

import pytest

_SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "check_licences.py"
_spec = importlib.util.spec_from_file_location("check_licences", _SCRIPT)
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)


class FakeDist:
    """A distribution with only metadata: what spdx_of reads."""

    def __init__(self, name, **fields):
        self.metadata = Message()
        self.metadata["Name"] = name
        for key, values in fields.items():
            for value in values if isinstance(values, list) else [values]:
                self.metadata[key.replace("_", "-")] = value


@pytest.mark.parametrize(
    ("expression", "ok"),
    [
        ("MIT", True),
        ("Apache-2.0 OR BSD-3-Clause", True),
        ("(Apache-2.0 OR GPL-2.0-only)", True),
        ("MIT AND GPL-3.0-only", False),
        ("GPL-3.0-or-later", False),
        ("AGPL-3.0-only", False),
        ("LGPL-3.0-only", True),
        ("Proprietary", False),
    ],
)
def test_allowed(expression, ok):
    assert check.allowed(expression) is ok


def test_licence_read_from_expression_text_or_one_classifier():
    assert check.spdx_of(FakeDist("a", License_Expression="MIT")) == "MIT"
    assert check.spdx_of(FakeDist("b", License="BSD License")) == "BSD-3-Clause"
    osi = "License :: OSI Approved :: "
    assert check.spdx_of(FakeDist("c", Classifier=[osi + "MIT License"])) == "MIT"
    # Two classifiers, no expression: ambiguous, so unknown (the check fails until someone reviews it).
    two = [osi + "MIT License", osi + "GNU General Public License v3 (GPLv3)"]
    assert check.spdx_of(FakeDist("d", Classifier=two)) is None
    assert check.spdx_of(FakeDist("e", License="GPL v3")) is None
    assert check.spdx_of(FakeDist("python-dateutil", License="Dual License")) == "Apache-2.0 OR BSD-3-Clause"


def test_the_project_itself_is_mulan_psl_and_its_dependencies_pass():
    from importlib import metadata

    assert metadata.distribution("kechuang").metadata["License-Expression"] == "MulanPSL-2.0"
    shipped = check.shipped()
    assert {"django", "psycopg", "boto3"} <= set(shipped)  # runtime, an extra's package, the s3 extra
    assert "pytest" not in shipped and "kechuang" not in shipped
    assert check.main() == 0

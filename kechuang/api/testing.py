"""Test helper for list endpoints: the rows served equal the reference objects as the item schema serves them."""

from __future__ import annotations

import json

from ninja.responses import NinjaJSONEncoder


def as_served(schema, data) -> dict:
    """The JSON Ninja serves for `data` validated by `schema`."""
    return json.loads(json.dumps(schema.model_validate(data).model_dump(), cls=NinjaJSONEncoder))


def assert_served_like(items: list[dict], schema, expected: list) -> None:
    """Each served row equals `expected` (dicts or objects) validated by `schema`, keys in schema order."""
    assert [as_served(schema, e) for e in expected] == items
    assert all(list(item) == list(schema.model_fields) for item in items)

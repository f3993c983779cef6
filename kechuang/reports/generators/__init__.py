"""Sentence generators of the drafting engine (see `reports/drafting.py`), by section.

Each writes one block from figures and records and returns False when its data is empty. Wording that
depends on a number (高于/低于/持平, 提高/下降/持平, 预计/快报/年报, 全覆盖, 首创) is chosen by
`reports.wording` and recorded as a claim; names, dates and an event's own amounts come from records. The
seed reply is the "seed" style: where the records hold what the seed says, the sentence reads as the seed.
"""

# One module per section of the reply; importing them registers every generator with `drafting.generator`.
from kechuang.reports.generators import (  # noqa: F401
    agritech,
    cooperation,
    enterprises,
    opening,
    platforms,
    talent,
)

"""The border model's texts quote the parameter table, never a copy of its numbers."""

from __future__ import annotations

from corridor.channels.border import parameters
from corridor.channels.border.channel import ASSUMPTIONS


def test_sharing_and_entry_texts_quote_the_table():
    t = parameters.table()
    shares = parameters.source_shares()
    assert shares == {k: t[f"share_{k}"].central for k in ("family", "friends", "market")}
    for k, v in shares.items():
        assert f"{k} {round(100 * v)}%" in ASSUMPTIONS["sharing"]
    p = t["p_intercept"]
    assert f"U({p.low:.2f}, {p.high:.2f})" in ASSUMPTIONS["entry"]

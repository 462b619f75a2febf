"""The demo coalition's activities carry valid content themes: at least four different ones."""

from corridor.demo import coalition_spec
from corridor.themes import UNKNOWN, parse_themes


def test_demo_activities_carry_at_least_four_themes():
    seen: set[str] = set()
    for org in coalition_spec()["organisations"]:
        for campaign in org["campaigns"]:
            for act in campaign["activities"]:
                themes = parse_themes(act.get("themes"), field=f"{act['id']}.themes")
                assert themes and UNKNOWN not in themes, act["id"]
                seen |= set(themes)
    assert len(seen) >= 4

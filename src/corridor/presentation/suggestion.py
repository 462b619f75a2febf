"""A budget suggestion (:func:`corridor.assess.allocate.suggest`) in words, in English or Korean."""

from __future__ import annotations

from corridor.channels import channel_title
from corridor.i18n import gettext
from corridor.presentation import formatting


def explanation(plan: dict, lang: str = "en") -> str:
    """Why the suggestion spends where it does: the amounts, the people added and the channel that
    gets most, in ``lang``."""
    _ = lambda m: gettext(lang, m)
    if not plan["steps"]:
        return _("No activity fits the budget or adds anyone: nothing is suggested.")
    top = plan.get("top_channel") or max(plan["by_channel_usd"], key=plan["by_channel_usd"].get)
    return _("Spending {spent} of {budget} in {n} steps reaches about {people} more people (sum of each "
             "step's median; intervals per step). Most goes to {channel} ({amount}) because it adds the "
             "most people not yet reached per dollar; each step's gain already accounts for people the "
             "coalition reaches now.").format(
        spent=formatting.usd(plan["spent_usd"], lang), budget=formatting.usd(plan["budget_usd"], lang),
        n=len(plan["steps"]), people=formatting.people(plan["new_people_total_median"], lang),
        channel=channel_title(top, lang), amount=formatting.usd(plan["by_channel_usd"][top], lang))

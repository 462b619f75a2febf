"""The balloon charts' notes on assumptions, in English or Korean, made from the
:class:`~corridor.channels.balloon.ensemble.Assumptions` fields (never restated by hand)."""

from __future__ import annotations

from corridor.channels.balloon.ensemble import Assumptions
from corridor.i18n import gettext


def _figures(assumptions: Assumptions | None) -> dict[str, str]:
    return (assumptions or Assumptions()).figures()


def windows_note(lang: str, assumptions: Assumptions | None = None) -> str:
    """The assumptions line of the launch-windows chart."""
    return gettext(lang, "Assumptions: climb {climb_lo}–{climb_hi} m/s, leak up to {leak_hi} m/s, timers "
                         "±{timer_min} min with {failures}% failures, leaflets {fall} m/s (lognormal) with glide, "
                         "landing on a coarse elevation field; intervals by resampling balloons.").format(
        **_figures(assumptions))


def launch_notes(lang: str, assumptions: Assumptions | None = None) -> list[str]:
    """The two assumptions lines of the landing map."""
    f = _figures(assumptions)
    return [gettext(lang, "Assumptions: Tawhiri-style trajectories; climb {climb_lo}–{climb_hi} m/s, leak ≤ {leak_hi} "
                          "m/s, timers ±{timer_min} min, {failures}% timer failures; leaflets {fall} m/s (lognormal) "
                          "with glide;").format(**f),
            gettext(lang, "{unopened}% bundles unopened; wind bias {wind_bias} m/s per draw for a single forecast; "
                          "landing on a coarse elevation field; {found_lo}–{found_hi}% of landed leaflets found by "
                          "someone.").format(**f)]


def float_spread(assumptions: Assumptions | None = None) -> str:
    """The spread around the nominal float altitude, m, as the subtitles show it."""
    return _figures(assumptions)["float_sd"]

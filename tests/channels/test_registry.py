"""The channel registry loads a channel's package only when the channel is asked for."""

import json
import subprocess
import sys

import pytest

from corridor.channels import all_channels, get_channel, register_module
from corridor.errors import CorridorError

CHANNELS = ["balloon", "border", "loudspeaker", "radio", "satellite"]

PROBE = """
import json, sys
import corridor.channels as ch
before = sorted(m.split(".")[2] for m in sys.modules if m.count(".") >= 2 and m.startswith("corridor.channels.")
                and m.split(".")[2] not in ("base",))
heavy = [m for m in ("pandas", "xarray", "numba", "shapely", "corridor.geo.grid") if m in sys.modules]
ch.get_channel("loudspeaker")
one = sorted({m.split(".")[2] for m in sys.modules if m.startswith("corridor.channels.") and m.count(".") >= 2}
             - {"base", "files"})
every = sorted(ch.all_channels())
print(json.dumps({"before": before, "heavy": heavy, "one": one, "every": every}))
"""


def test_importing_the_package_loads_no_channel():
    out = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True).stdout
    seen = json.loads(out)
    assert seen["before"] == []
    assert seen["heavy"] == []            # the contracts load without the grid, pandas or shapely
    assert seen["one"] == ["loudspeaker"]
    assert seen["every"] == CHANNELS


def test_every_named_channel_registers_under_its_name():
    channels = all_channels()
    assert sorted(channels) == CHANNELS
    for name, channel in channels.items():
        assert channel.name == name and get_channel(name) is channel


def test_unknown_channel_lists_the_known_ones():
    with pytest.raises(CorridorError, match="unknown channel") as err:
        get_channel("carrier pigeon")
    assert all(name in str(err.value) for name in CHANNELS)


def test_a_module_that_does_not_register_its_channel_is_a_bug():
    register_module("phantom", "corridor.errors")
    try:
        with pytest.raises(RuntimeError, match="did not register"):
            get_channel("phantom")
    finally:
        from corridor.channels import base

        base._MODULES.pop("phantom", None)

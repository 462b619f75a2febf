"""The command line starts at once: ``corridor --help`` imports no group and no model library."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = {"numpy", "pandas", "matplotlib", "scipy", "xarray", "numba", "pymc", "shapely", "pyproj", "sqlalchemy",
         "pydantic", "fastapi"}


def test_top_level_help_imports_no_command_group_or_model_library():
    code = "\n".join([
        "import sys",
        "heavy = set(sys.argv[1:])",
        "from corridor.cli import main",
        "sys.argv = ['corridor', '--help']",
        "try:",
        "    main()",
        "except SystemExit:",
        "    pass",
        "loaded = {m.split('.')[0] for m in sys.modules} & heavy",
        "loaded |= {m for m in sys.modules if m.startswith('corridor.cli.')} - {'corridor.cli.demo', 'corridor.cli.console'}",
        "print('LOADED', sorted(loaded))",
    ])
    r = subprocess.run([sys.executable, "-c", code, *sorted(HEAVY)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "report" in r.stdout and "radio" in r.stdout          # every command is listed
    assert r.stdout.strip().splitlines()[-1] == "LOADED []"


@pytest.mark.parametrize("name", sorted(__import__("corridor.cli", fromlist=["LAZY_COMMANDS"]).LAZY_COMMANDS))
def test_the_listed_line_is_the_commands_own(name):
    from typer.main import get_command

    from corridor.cli import LAZY_COMMANDS, app

    group = get_command(app)
    real = group.load(name)
    assert LAZY_COMMANDS[name][3] == real.get_short_help_str(limit=1000), name


def test_a_deferred_command_runs_as_the_real_one(tmp_path):
    r = subprocess.run([sys.executable, "-m", "corridor", "radio", "validate", "d1", str(tmp_path / "none.txt")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "no such file" in r.stderr
    r = subprocess.run([sys.executable, "-m", "corridor", "audit", "--help"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "anchor" in r.stdout


#: Model libraries a group's help must not load (NumPy alone may come with the channel contracts:
#: ``corridor balloon --help`` shows the legal notice, kept in the balloon channel's package).
MODEL_LIBRARIES = {"pandas", "matplotlib", "scipy", "xarray", "numba", "pymc", "shapely", "pyproj", "geopandas",
                   "PyIRI", "dask"}
#: Corridor's own modules that hold models (or load the libraries above).
MODEL_MODULES = ("corridor.geo.grid", "corridor.assess.engine", "corridor.evidence.estimate")
GROUP_HELP = sorted(n for n, entry in __import__("corridor.cli", fromlist=["LAZY_COMMANDS"]).LAZY_COMMANDS.items()
                    if entry[2] or n in ("assess", "report")) + ["demo"]


@pytest.mark.parametrize("name", GROUP_HELP)
def test_a_groups_help_imports_no_model_library(name):
    code = "\n".join([
        "import sys",
        "heavy = set(sys.argv[2:])",
        "from corridor.cli import main",
        "sys.argv = ['corridor', sys.argv[1], '--help']",
        "try:",
        "    main()",
        "except SystemExit:",
        "    pass",
        "loaded = {m.split('.')[0] for m in sys.modules} & heavy",
        f"loaded |= {{m for m in sys.modules if m.startswith({MODEL_MODULES!r}) or m.endswith('.channel')}}",
        "print('LOADED', sorted(loaded))",
    ])
    r = subprocess.run([sys.executable, "-c", code, name, *sorted(MODEL_LIBRARIES)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Usage" in r.stdout
    assert r.stdout.strip().splitlines()[-1] == "LOADED []", name


def test_channel_commands_share_the_options_and_the_resolution_setting(tmp_path):
    """Every channel command takes --out, --json, --draws (or its own), --lang and --resolution-km;
    a bad resolution, from the option or from $CORRIDOR_GRID_KM, is one line naming where it came from."""
    import os

    from typer.main import get_command

    from corridor.cli import app

    group = get_command(app)
    for path in (("radio", "coverage"), ("loudspeaker", "coverage"), ("border", "spread"), ("satellite", "coverage"),
                 ("balloon", "launch"), ("radio", "landscape")):
        cmd = group.load(path[0]).commands[path[1]]
        names = {o for p in cmd.params for o in p.opts}
        assert {"--out", "--json", "--draws", "--lang", "--resolution-km", "--resolution"} <= names, path
    assess = group.load("assess")
    assert {"--lang", "--resolution-km"} <= {o for p in assess.params for o in p.opts}

    from pathlib import Path

    from tests.cli_runner import assert_user_error, run_process

    example = Path(__file__).resolve().parents[2] / "examples" / "loudspeaker" / "paju-night.yaml"
    assert_user_error(run_process("loudspeaker", "coverage", example, "--resolution", "0.1"),
                      "--resolution-km", "0.1")
    env = dict(os.environ, CORRIDOR_GRID_KM="lots")
    assert_user_error(run_process("loudspeaker", "coverage", example, env=env), "CORRIDOR_GRID_KM", "lots")


#: Libraries a channel's input error must not load: reading and checking an activity file needs
#: only the spec (pydantic and NumPy), not the channel's model.
MODEL_ONLY = {"pandas", "xarray", "numba", "scipy", "shapely"}
#: channel -> (command, example file, a valid line, the same line made invalid)
BAD_FIELD = {
    "loudspeaker": ("coverage", "loudspeaker/paju-night.yaml", "sound_power_db: 165", "sound_power_db: -5"),
    "radio": ("coverage", "radio/nkrr-2010-tashkent.yaml", "frequency_khz: 7590", "frequency_khz: -7590"),
    "border": ("spread", "border/hyesan-usb.yaml", "devices: 1000", "devices: -1000"),
    "satellite": ("coverage", "satellite/koreasat-116e.yaml", "dish_cm: 60", "dish_cm: -60"),
    "balloon": ("launch", "balloon/paju-january.yaml", "balloons: 20", "balloons: -3"),
}


@pytest.mark.parametrize("channel", sorted(BAD_FIELD))
def test_a_bad_field_is_refused_before_the_model_loads(channel, tmp_path):
    from pathlib import Path

    command, example, good, bad = BAD_FIELD[channel]
    text = (Path(__file__).resolve().parents[2] / "examples" / example).read_text(encoding="utf-8")
    assert good in text
    spec = tmp_path / "bad.yaml"
    spec.write_text(text.replace(good, bad), encoding="utf-8")
    code = "\n".join([
        "import sys",
        "heavy = set(sys.argv[3:])",
        "from corridor.cli import main",
        "sys.argv = ['corridor', sys.argv[1], sys.argv[2], " + repr(str(spec)) + "]",
        "try:",
        "    main()",
        "except SystemExit as e:",
        "    code = e.code",
        "print('EXIT', code)",
        "print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & heavy))",
    ])
    r = subprocess.run([sys.executable, "-c", code, channel, command, *sorted(MODEL_ONLY)],
                       capture_output=True, text=True, timeout=300)
    field = bad.split(":")[0]
    assert field in r.stderr, r.stderr                          # the error names the field
    lines = r.stdout.strip().splitlines()
    assert lines[-2] == "EXIT 2", (r.stdout, r.stderr)           # a user's mistake, no traceback
    assert lines[-1] == "LOADED []", channel

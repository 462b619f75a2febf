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

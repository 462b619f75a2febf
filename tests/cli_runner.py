"""Running ``corridor`` as a user does, for the command-line tests of every package."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run_process(*args, stdin: str | None = None, env: dict | None = None, check: bool = False,
                timeout: float = 300) -> subprocess.CompletedProcess:
    """A real ``python -m corridor`` process: real exit codes, real standard error."""
    proc = subprocess.run([sys.executable, "-m", "corridor", *map(str, args)], capture_output=True, text=True,
                          input=stdin, env=env or os.environ.copy(), timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(proc.stderr)
    return proc


def run_in_process(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    """The same command line through ``corridor.cli.main`` in this process (faster): code, out, err."""
    from corridor.cli import main

    monkeypatch.setattr(sys, "argv", ["corridor", *map(str, args)])
    with pytest.raises(SystemExit) as exc:
        main()
    out, err = capsys.readouterr()
    return exc.value.code or 0, out, err


def assert_user_error(proc, *fragments) -> None:
    """Exit code 2, no traceback, one line on standard error holding every fragment."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]

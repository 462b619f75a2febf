"""Errors a user can cause and fix.

A :class:`CorridorError` is a mistake in what the user gave (a value, a file, a name), never a
bug. The command line prints it as one line and exits with code 2; the web service turns it into
a 4xx response. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from typing import Any

USER_ERROR_EXIT_CODE = 2


class CorridorError(Exception):
    """A user-facing error that names where the problem is and what the value was.

    Parameters
    ----------
    message : str
        What is wrong and, where it helps, what to do about it.
    source : str, optional
        The file, option or record the value came from.
    field : str, optional
        The field or option name.
    value : object, optional
        The offending value, shown with ``repr``.
    """

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None,
                 value: Any = ..., hint: str | None = None) -> None:
        self.message = message
        self.source = source
        self.field = field
        self.value = value
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.field:
            where.append(self.field if self.value is ... else f"{self.field}={self.value!r}")
        elif self.value is not ...:
            where.append(repr(self.value))
        text = (": ".join(where) + ": " if where else "") + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

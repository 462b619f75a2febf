"""Activity forms generated from each channel's own spec model (its JSON Schema).

A field's label and help come from the model's description; numbers get ``min``/``max`` from its
bounds; choices (``Literal``) become a select; lists are typed comma-separated. Validation stays
with the channel's model, so a form cannot accept what the model refuses.

A field that may name a resource (:class:`~corridor.channels.base.SharedValues`: a radio
schedule's ``jammers``, a launch's ``wind``) is a select of the values the shared ledger accepts,
the shipped keywords and samples: the pages write to the ledger, which never reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from corridor.channels.base import SharedValues, shared_fields


@dataclass
class FormField:
    name: str
    label: str
    help: str
    kind: str                      # number, integer, text, select, checkbox, list
    required: bool
    default: Any = None
    choices: list[Any] | None = None
    minimum: float | None = None
    maximum: float | None = None


def _resolve(prop: dict, defs: dict) -> dict:
    if "$ref" in prop:
        return defs[prop["$ref"].split("/")[-1]]
    for key in ("anyOf", "oneOf"):
        if key in prop:
            options = [o for o in prop[key] if o.get("type") != "null"]
            if len(options) == 1:
                return {**_resolve(options[0], defs), **{k: v for k, v in prop.items() if k not in (key,)}}
    return prop


_UNITS = {"kw": "kW", "khz": "kHz", "mhz": "MHz", "hz": "Hz", "db": "dB", "deg": "°", "m": "m", "km": "km",
          "cm": "cm", "s": "s", "h": "h", "kg": "kg", "mb": "MB", "gb": "GB", "pct": "%"}
_WORDS = {"utc": "UTC", "ssn": "SSN", "snr": "SNR", "eirp": "EIRP", "lat": "latitude", "lon": "longitude",
          "id": "id", "dbw": "dBW"}


def label_for(name: str) -> str:
    """``power_kw`` → ``Power (kW)``, ``utc_start`` → ``UTC start``, ``required_snr_db_hz`` → ``Required SNR (dB Hz)``."""
    parts = name.split("_")
    units = []
    while len(parts) > 1 and parts[-1] in _UNITS:
        units.insert(0, _UNITS[parts.pop()])
    words = [_WORDS.get(p, p) for p in parts]
    text = " ".join(words)
    text = text[:1].upper() + text[1:]
    return f"{text} ({' '.join(units)})" if units else text


def spec_fields(model: type[BaseModel]) -> list[FormField]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    resources = shared_fields(model)
    out = []
    for name, raw in schema.get("properties", {}).items():
        prop = _resolve(raw, defs)
        kind = prop.get("type", "string")
        choices = prop.get("enum")
        if choices is None and "const" in prop:
            choices = [prop["const"]]
        if name in resources:
            choices = _shared_choices(resources[name], required=name in required,
                                      default=raw.get("default", prop.get("default")))
        if choices is not None:
            form_kind = "select"
        elif kind == "number":
            form_kind = "number"
        elif kind == "integer":
            form_kind = "integer"
        elif kind == "boolean":
            form_kind = "checkbox"
        elif kind == "array":
            form_kind = "list"
        elif kind == "object":
            continue  # nested structures are edited through the API or a file import
        else:
            form_kind = "text"
        out.append(FormField(
            name=name, label=label_for(name),
            help=raw.get("description") or prop.get("description") or "", kind=form_kind,
            required=name in required, default=raw.get("default", prop.get("default")), choices=choices,
            minimum=prop.get("minimum", prop.get("exclusiveMinimum")),
            maximum=prop.get("maximum", prop.get("exclusiveMaximum"))))
    return out


def _shared_choices(marker: SharedValues, *, required: bool, default: Any) -> list[str]:
    """The select's options for a resource field: the shared values, and an empty option first
    when the field may be left out."""
    allowed = marker.allowed()
    return allowed if required or default is not None else ["", *allowed]


def parse_spec_form(fields: list[FormField], form: dict[str, str]) -> dict[str, Any]:
    """Turn submitted strings into the values the spec model expects (it validates them)."""
    spec: dict[str, Any] = {}
    for f in fields:
        key = f"spec.{f.name}"
        if f.kind == "checkbox":
            spec[f.name] = key in form
            continue
        raw = (form.get(key) or "").strip()
        if raw == "":
            continue
        if f.kind in ("number", "integer"):
            try:
                spec[f.name] = int(raw) if f.kind == "integer" else float(raw)
            except ValueError:
                spec[f.name] = raw  # the model reports it with the field's name
        elif f.kind == "list":
            spec[f.name] = [p.strip() for p in raw.split(",") if p.strip()]
        elif f.kind == "select" and f.choices and not isinstance(f.choices[0], str):
            try:
                spec[f.name] = type(f.choices[0])(raw)
            except ValueError:
                spec[f.name] = raw
        else:
            spec[f.name] = raw
    return spec

"""The JSON Schema of `xiaozhen report --format json` (layout `report.FORMAT`), which `xiaozhen schema
--report` prints: the report as an interface for the scripts that read it. A test checks worked reports
against it; docs/reference.md lists its keys."""

from __future__ import annotations

from typing import Any

from xiaozhen.reports.report import COMPARED, FORMAT, OUTCOMES

_COUNT = {"type": "integer", "minimum": 0}
_DAY = {"type": "string", "format": "date"}
_TEXT = {"type": "string"}
# The headline's figures, which the by-prefecture and by-stage rows break down.
_FIGURES = ["towns_start", "creating_start", *OUTCOMES, "creating_end", "towns_end"]


def _counts(keys: list[str], label: str | None = None) -> dict[str, Any]:
    """An object of counts under `keys`, and a label under `label` (a prefecture, a stage)."""
    properties: dict[str, Any] = dict.fromkeys(keys, _COUNT)
    if label is not None:
        properties = {label: _TEXT, **properties}
    required = [*([label] if label else []), *keys]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _breakdown(label: str) -> dict[str, Any]:
    """Rows a value of `label` each, and the total row: the same counts, no label (it is not a value)."""
    return {
        "type": "object",
        "properties": {
            "rows": {"type": "array", "items": _counts(_FIGURES, label)},
            "total": _counts(_FIGURES),
            "columns": {"type": "array", "items": {"enum": _FIGURES}},
        },
        "required": ["rows", "total", "columns"],
        "additionalProperties": False,
    }


def _cross(rows: str) -> dict[str, Any]:
    """A cross-table: a row per value of `rows`, a count per column value and the row's total."""
    row = {
        "type": "object",
        "properties": {rows: _TEXT, "total": _COUNT},
        "required": [rows, "total"],
        "additionalProperties": _COUNT,
    }
    total = {
        "type": "object",
        "properties": {"total": _COUNT},
        "required": ["total"],
        "additionalProperties": _COUNT,
    }
    return {
        "type": "object",
        "properties": {
            "by": {"type": "array", "prefixItems": [{"const": rows}, _TEXT], "items": False},
            "columns": {"type": "array", "items": _TEXT},
            "rows": {"type": "array", "items": row},
            "total": total,
        },
        "required": ["by", "columns", "rows", "total"],
        "additionalProperties": False,
    }


_LISTED_TOWN = {
    "type": "object",
    "properties": {"id": {"type": "integer", "minimum": 1}, "name": _TEXT, "prefecture": _TEXT},
    "required": ["id", "name", "prefecture"],
}


_TOWN_PROPERTIES = {"id": {"type": "integer", "minimum": 1}, "name": _TEXT, "prefecture": _TEXT}


def _outcome(kinds: list[str]) -> dict[str, Any]:
    """A row of what the period changed by a document: which town, what (one of `kinds`), from, to, why."""
    return {
        "type": "object",
        "properties": {
            **_TOWN_PROPERTIES,
            "what": {"enum": kinds},
            "from": _TEXT,
            "to": _TEXT,
            "reason": {"type": ["string", "null"]},
            "document": {"type": ["string", "null"]},
        },
        "required": ["id", "name", "prefecture", "what", "from", "to", "reason", "document"],
        "additionalProperties": False,
    }


_CORRECTION = _outcome(["status", "stage", "result"])
_REVIEWED = _outcome(["renamed", "cleared"])
_FINDING = {
    "type": "object",
    "properties": {**_TOWN_PROPERTIES, "code": _TEXT, "message": _TEXT},
    "required": ["id", "name", "prefecture", "code", "message"],
    "additionalProperties": False,
}


def report_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://xiaozhen.invalid/schema/report-{FORMAT}.json",  # names it; nothing is fetched
        "title": "xiaozhen yearly report (特色产业小镇年度评估情况)",
        "description": "`xiaozhen report --format json`. Totals are under `total` keys, never rows.",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT, "description": "The layout's version; raised when a key changes."},
            "title": _TEXT,
            "year": {"type": "integer", "description": "The assessment year reported on."},
            "scope": {"type": ["string", "null"], "description": "The prefecture or county, else null."},
            "period": {
                "type": "object",
                "properties": {"from": _DAY, "to": _DAY, "start": _DAY},
                "required": ["from", "to", "start"],
                "additionalProperties": False,
            },
            "about": {
                "type": "object",
                "description": "The footer: what data the report shows, from which revision, when, by whom.",
                "properties": {
                    "data_as_of": {**_DAY, "description": "The last change recorded, within the period."},
                    "revision": {
                        "type": ["string", "null"],
                        "description": "The registry's git commit, where there is one, and its sha256.",
                    },
                    "generated": {"type": ["string", "null"], "format": "date-time"},
                    "issuer": _TEXT,
                    "publisher": {**_TEXT, "description": "Who publishes the report (registry.publisher)."},
                    "document": _TEXT,
                    "sample": {
                        "type": ["string", "null"],
                        "description": "For sample data (registry.sample), what it is; else null.",
                    },
                },
                "required": [
                    "data_as_of",
                    "revision",
                    "generated",
                    "issuer",
                    "publisher",
                    "document",
                    "sample",
                ],
                "additionalProperties": False,
            },
            "compared": {
                "type": ["object", "null"],
                "description": "the year before's figures beside this year's; null when it has no results",
                "properties": {
                    "year": {"type": "integer"},
                    "rows": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "figure": {"enum": list(COMPARED)},
                                "before": {"type": ["number", "null"]},
                                "now": {"type": ["number", "null"]},
                            },
                            "required": ["figure", "before", "now"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["year", "rows"],
                "additionalProperties": False,
            },
            "headline": {
                "type": "object",
                "properties": {
                    **dict.fromkeys([*_FIGURES, "assessed"], _COUNT),
                    "pass_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                },
                "required": [*_FIGURES, "assessed", "pass_rate"],
                "additionalProperties": False,
            },
            "by_prefecture": _breakdown("prefecture"),
            "by_stage": _breakdown("category"),
            "outcomes": {
                "type": "object",
                "properties": {
                    kind: {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "prefecture": _TEXT,
                                "towns": {"type": "array", "items": _LISTED_TOWN},
                            },
                            "required": ["prefecture", "towns"],
                        },
                    }
                    for kind in OUTCOMES
                },
                "required": list(OUTCOMES),
                "additionalProperties": False,
            },
            "scores": {
                "type": "object",
                "properties": {
                    "count": _COUNT,
                    "mean": {"type": ["number", "null"]},
                    "min": {"type": ["number", "null"]},
                    "max": {"type": ["number", "null"]},
                    "distribution": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"band": _TEXT, "count": _COUNT},
                            "required": ["band", "count"],
                        },
                    },
                },
                "required": ["count", "mean", "min", "max", "distribution"],
            },
            "stages": {
                "type": "object",
                "properties": {
                    "rows": {"type": "array", "items": _counts(["start", "end"], "stage")},
                    "total": _counts(["start", "end"]),
                    "moves": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"from": _TEXT, "to": _TEXT, "count": _COUNT},
                            "required": ["from", "to", "count"],
                        },
                    },
                },
                "required": ["rows", "total", "moves"],
            },
            "stage_by_prefecture": _cross("prefecture"),
            "stage_by_status": _cross("category"),
            "declared": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "batch": {"type": "integer", "minimum": 1},
                        "document": {"type": ["string", "null"]},
                        "rows": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "dimension": {"enum": ["total", "category", "town_type", "prefecture"]},
                                    "value": {
                                        "type": ["string", "null"],
                                        "description": "null on the total row",
                                    },
                                    "declared": _COUNT,
                                    "listed": _COUNT,
                                },
                                "required": ["dimension", "value", "declared", "listed"],
                            },
                        },
                    },
                    "required": ["batch", "rows"],
                },
            },
            "coverage": {
                "type": "object",
                "properties": {
                    "towns": _COUNT,
                    "recorded": {"type": "object", "additionalProperties": _COUNT},
                },
                "required": ["towns", "recorded"],
            },
            "corrections": {"type": "array", "items": _CORRECTION},
            "list_review": {"type": "array", "items": _REVIEWED},
            "findings": {"type": "array", "items": _FINDING},
        },
        "required": [
            "format",
            "title",
            "year",
            "scope",
            "period",
            "headline",
            "compared",
            "by_prefecture",
            "by_stage",
            "outcomes",
            "scores",
            "stages",
            "stage_by_prefecture",
            "stage_by_status",
            "declared",
            "coverage",
            "corrections",
            "list_review",
            "findings",
            "about",
        ],
    }

"""A posted C.Hasil page as the API's sheet body, problems beside their boxes, and the small
form of the supervisor's page.

No rule lives here: every check of the numbers is `tally`'s, reached through
`services.check_sheet`. The paper form's layout is form_layout.py's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from deskpemilu.tally.codes import RULES, Problem
from deskpemilu.tally.sheet import ADMINISTRASI_OPTIONAL, ADMINISTRASI_REQUIRED

MAX_PHOTOS = 10
NUMBER = re.compile(r"-?[0-9]{1,9}")
TOO_LONG = re.compile(r"[0-9]{10,}")


# --- from a posted form to a sheet body ----------------------------------------------------


def _number(raw: str) -> Any:
    """An int when the text is a whole number; otherwise the text, which the rules refuse."""
    if NUMBER.fullmatch(raw):
        return int(raw)
    if TOO_LONG.fullmatch(raw):
        return 10**9  # "at most 1000", without parsing a number of any length
    return raw


def sheet_body(data: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """The API's sheet body from a posted page. An empty box of sections I–III is left out
    (the rules then say it is missing, or it is optional); an empty vote box counts 0."""
    administrasi = {}
    for key in (*ADMINISTRASI_REQUIRED, *ADMINISTRASI_OPTIONAL):
        raw = str(data.get(f"administrasi.{key}", "")).strip()
        if raw:
            administrasi[key] = _number(raw)
    suara = {k: _number(str(data.get(f"suara.{k}", "")).strip() or "0") for k in keys}
    return {
        "administrasi": administrasi,
        "suara": suara,
        "catatan": str(data.get("catatan", "")).strip(),
        "konfirmasi_tidak_konsisten": data.get("konfirmasi_tidak_konsisten") in ("1", "on"),
    }


def values_from_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """Box name → value, for showing a stored or posted sheet in the layout."""
    values = {f"administrasi.{k}": v for k, v in body.get("administrasi", {}).items()}
    values.update({f"suara.{k}": v for k, v in body.get("suara", {}).items()})
    return values


def version_number(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 9 else None


# --- problems beside their boxes -----------------------------------------------------------


@dataclass
class Messages:
    """Problems and flags sorted by the box they point at; the rest are general."""

    by_field: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    general: list[dict[str, str]] = field(default_factory=list)

    def add(self, item: dict[str, str], fields: set[str]) -> None:
        if item["field"] in fields:
            self.by_field.setdefault(item["field"], []).append(item)
        else:
            self.general.append(item)

    @property
    def any(self) -> bool:
        return bool(self.by_field or self.general)


def problem_dicts(problems: Iterable[Problem], language: str) -> list[dict[str, str]]:
    return [
        {
            "code": p.code,
            "field": p.field,
            "message": p.message(language),
            "kind": p.kind.value,
        }
        for p in problems
    ]


def flag_dicts(flags: Iterable[Mapping[str, str]], language: str) -> list[dict[str, str]]:
    """Stored flags, their message in the reader's language when the rule is known."""
    out = []
    for f in flags:
        rule = RULES.get(f.get("code", ""))
        message = f.get("message", "")
        if rule is not None and language.startswith("en"):
            message = rule.en
        out.append({"code": f.get("code", ""), "field": f.get("field", ""), "message": message})
    return out


# --- the small forms -----------------------------------------------------------------------


class ResolveForm(forms.Form):
    accept = forms.ChoiceField(
        choices=[("pertama", _("Entri pertama")), ("kedua", _("Entri kedua (ulang)"))]
    )
    note = forms.CharField(
        label=_("Catatan keputusan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Catatan keputusan wajib diisi.")},
    )

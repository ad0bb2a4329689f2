"""The error summary at the top of a refused form: how many problems, each linked to its box.

A refused save re-renders the form at its top with the messages beside their boxes, which on a
phone are thousands of pixels down; the summary (core/_error_summary.html) is what the reader
and a screen reader land on instead."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.encoding import force_str


def summary_item(message: Any, anchor: str = "", label: Any = "") -> dict[str, str]:
    return {
        "href": f"#{anchor}" if anchor else "",
        "label": force_str(label),
        "message": force_str(message),
    }


def form_summary(form: forms.BaseForm) -> list[dict[str, str]]:
    """The errors of a Django form, field errors in the form's order, then the general ones."""
    items = []
    for name, field in form.fields.items():
        bound = form[name]
        # A radio group has no box of its own: its first button stands for it.
        anchor = bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")
        for message in form.errors.get(name, []):
            items.append(summary_item(message, anchor, field.label or name))
    items += [summary_item(message) for message in form.non_field_errors()]
    return items


def ordered_summary(
    by_field: Mapping[str, Iterable[Mapping[str, str]]],
    general: Iterable[Mapping[str, str]],
    order: Iterable[tuple[str, str, Any]],
) -> list[dict[str, str]]:
    """Messages sorted by field in the order of `order` ((field, anchor, label) triples), then
    the general ones, then those of fields `order` does not name."""
    items = []
    named = set()
    for name, anchor, label in order:
        named.add(name)
        items += [summary_item(m["message"], anchor, label) for m in by_field.get(name, [])]
    items += [summary_item(m["message"]) for m in general]
    for name, messages in by_field.items():
        if name not in named:
            items += [summary_item(m["message"]) for m in messages]
    return items

"""Pages of the stage calendar (/tahapan/). Thin."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deskpemilu.accounts.models import User
from deskpemilu.core.rules import roles, signed_in
from deskpemilu.elections.entry import browsing, check_code
from deskpemilu.elections.models import Election
from deskpemilu.stages import forms, selectors, services
from deskpemilu.stages.access import (
    get_kecamatan_to_update,
    get_stage_for,
    kecamatan_for,
    manages_stages,
    stages_visible,
    writable_kecamatan,
)
from deskpemilu.stages.models import State


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@signed_in
def stage_list(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    today = timezone.localdate()
    # The calendar of one election: `?pemilihan=CODE`, or the active one's.
    code = request.GET.get("pemilihan", "")
    if not check_code(code):
        raise Http404  # a hand-edited URL; the page offers only known elections
    picked = browsing(code)
    shown = cast(Election | None, picked["browsing"])
    stage_list = list(stages_visible(user).filter(election=shown)) if shown else []
    kecamatan = list(kecamatan_for(user))
    first = min((s.starts_on for s in stage_list), default=today)
    last = max((s.ends_on for s in stage_list), default=today)
    span = max((last - first).days + 1, 1)
    timeline = [
        {
            "stage": s,
            "left": round(100 * (s.starts_on - first).days / span, 2),
            "width": max(round(100 * ((s.ends_on - s.starts_on).days + 1) / span, 2), 0.8),
            "today": s.is_on(today),
            "past": s.ends_on < today,
        }
        for s in stage_list
    ]
    return render(
        request,
        "stages/list.html",
        {
            "stages": stage_list,
            "rows": selectors.grid(stage_list, kecamatan),
            "timeline": timeline,
            "today": today,
            "today_left": round(100 * (today - first).days / span, 2)
            if first <= today <= last
            else None,
            "first": first,
            "last": last,
            **picked,
            "states": State.choices,
            "stages_today": selectors.stages_today(),
            "can_manage": manages_stages(user) and bool(shown and shown.active),
        },
    )


def _status_form(request: HttpRequest, user: User) -> forms.StatusForm | None:
    choices = [(k.code, k.name) for k in writable_kecamatan(user)]
    if not choices:
        return None
    initial = {"kecamatan": request.GET.get("kecamatan", "")}
    return forms.StatusForm(request.POST or None, kecamatan=choices, initial=initial)


@signed_in
def stage_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _me(request)
    stage = get_stage_for(user, code)
    kecamatan = list(kecamatan_for(user))
    # Another election's stages are read-only: no status, no dates (the services refuse too).
    open_for_entry = stage.election.active
    form = _status_form(request, user) if open_for_entry else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        # Another kecamatan answers 404, as in the API, not a form error that confirms it.
        get_kecamatan_to_update(user, request.POST.get("kecamatan", ""))
        if form.is_valid():
            region = get_kecamatan_to_update(user, form.cleaned_data["kecamatan"])
            try:
                services.stage_status_set(
                    actor=user,
                    stage=stage,
                    kecamatan=region,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except services.StageError as error:
                form.add_error("note" if error.field == "note" else None, error.message)
            else:
                messages.success(
                    request,
                    _("Status %(stage)s di %(kec)s disimpan.")
                    % {"stage": stage.name, "kec": region.name},
                )
                return redirect("stage", code=stage.code)
    rows = selectors.grid([stage], kecamatan)
    return render(
        request,
        "stages/detail.html",
        {
            "stage": stage,
            "cells": [cells[0] for _k, cells in rows],
            "history": selectors.history(stage, kecamatan),
            "form": form,
            "today": timezone.localdate(),
            "can_manage": manages_stages(user) and open_for_entry,
            "browsing": stage.election,
            "stage_form": forms.StageForm(
                initial={
                    "starts_on": stage.starts_on,
                    "ends_on": stage.ends_on,
                    "active": stage.active,
                }
            )
            if manages_stages(user) and open_for_entry
            else None,
            "days": (stage.ends_on - stage.starts_on + timedelta(days=1)).days,
        },
    )


@roles("admin")
@require_POST
def stage_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = _me(request)
    stage = get_stage_for(user, code)
    form = forms.StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa tanggal tahapan."))
        return redirect("stage", code=stage.code)
    try:
        services.stage_change(
            actor=user,
            stage=stage,
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            active=form.cleaned_data["active"],
        )
    except services.StageError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Tahapan disimpan."))
    return redirect("stage", code=stage.code)

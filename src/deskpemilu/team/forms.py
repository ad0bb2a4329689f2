"""Forms of the team pages. They only read input; every rule lives in team.services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from deskpemilu.accounts.models import Agency
from deskpemilu.team import meetings, members, services
from deskpemilu.team.models import DEFAULT_PLACE, ActionStatus, Shift, TeamMember, TeamRole

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Rows of points and decisions offered by an empty meeting form (a script adds more).
EMPTY_POINTS = 3
EMPTY_ACTIONS = 3
MAX_ROWS = 50


def add_service_error(form: forms.Form, error: services.TeamError) -> None:
    field = error.field.split(".")[0]
    form.add_error(field if field in form.fields else None, error.message)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    agency = forms.ModelChoiceField(
        label=_("Instansi"),
        queryset=Agency.objects.filter(is_active=True),
        to_field_name="slug",
    )
    team_role = forms.ChoiceField(label=_("Peran dalam tim"), choices=TeamRole.choices)
    bidang = forms.CharField(label=_("Bidang"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    email = forms.EmailField(label=_("Surel"), required=False)
    username = forms.CharField(
        label=_("Akun (nama pengguna, bila ada)"), max_length=150, required=False
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def member_input(self) -> members.MemberInput:
        d = self.cleaned_data
        return members.MemberInput(
            name=d["name"],
            agency=d["agency"].slug,
            team_role=d["team_role"],
            bidang=d["bidang"],
            phone=d["phone"],
            email=d["email"],
            active=d["active"],
            username=d["username"],
        )


def member_initial(member: TeamMember) -> dict[str, Any]:
    return {
        "name": member.name,
        "agency": member.agency.slug,
        "team_role": member.team_role,
        "bidang": member.bidang,
        "phone": member.phone,
        "email": member.email,
        "username": member.user.username if member.user else "",
        "active": member.active,
    }


class DutyForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=DATE)
    shift = forms.ModelChoiceField(
        label=_("Sif"), queryset=Shift.objects.filter(active=True), to_field_name="code"
    )
    member = forms.ModelChoiceField(
        label=_("Petugas"),
        queryset=TeamMember.objects.filter(active=True).select_related("agency"),
    )
    note = forms.CharField(label=_("Catatan"), max_length=200, required=False)


class RangeForm(forms.Form):
    dari = forms.DateField(label=_("Dari"), widget=DATE, required=False)
    sampai = forms.DateField(label=_("Sampai"), widget=DATE, required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Judul rapat"),
        max_length=200,
        initial="Rapat koordinasi Tim Desk Pemilu",
    )
    date = forms.DateField(label=_("Tanggal"), widget=DATE)
    time = forms.TimeField(label=_("Jam (WITA)"), widget=TIME, initial="09:00")
    place = forms.CharField(label=_("Tempat"), max_length=200, initial=DEFAULT_PLACE)
    chair = forms.CharField(label=_("Pimpinan rapat"), max_length=150, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Peserta dari tim"),
        queryset=TeamMember.objects.filter(active=True).select_related("agency"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_attendees = forms.CharField(
        label=_("Peserta lain (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
    )
    summary = forms.CharField(
        label=_("Ringkasan (boleh kosong)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


def _rows(data: QueryDict, name: str) -> list[str]:
    return [v.strip() for v in data.getlist(name)[:MAX_ROWS]]


def meeting_rows(data: QueryDict) -> tuple[list[str], list[dict[str, str]]]:
    """The points and decision rows as typed (empty rows dropped), for the service and to show
    the form again after an error."""
    points = [p for p in _rows(data, "poin") if p]
    texts = _rows(data, "keputusan_teks")
    agencies = _rows(data, "keputusan_instansi")
    assignees = _rows(data, "keputusan_petugas")
    dues = _rows(data, "keputusan_tenggat")
    actions = []
    for i, text in enumerate(texts):
        row = {
            "text": text,
            "agency": agencies[i] if i < len(agencies) else "",
            "assignee": assignees[i] if i < len(assignees) else "",
            "due_on": dues[i] if i < len(dues) else "",
        }
        if any(row.values()):
            actions.append(row)
    return points, actions


def action_inputs(rows: list[dict[str, str]]) -> list[meetings.ActionInput]:
    """Decision rows → service input; a row's bad date or person is refused with its number."""
    inputs = []
    for i, row in enumerate(rows, start=1):
        try:
            due = date.fromisoformat(row["due_on"])
        except ValueError:
            raise services.TeamError(
                422, "tenggat_tidak_valid", f"Keputusan {i}: isi tenggat (tanggal).", "actions"
            ) from None
        assignee = row["assignee"]
        if assignee and not assignee.isdigit():
            raise services.TeamError(
                422, "anggota_tidak_dikenal", f"Keputusan {i}: petugas tidak dikenal.", "actions"
            )
        inputs.append(
            meetings.ActionInput(
                text=row["text"],
                agency=row["agency"],
                due_on=due,
                assignee_id=int(assignee) if assignee else None,
            )
        )
    return inputs


def held_at(form: MeetingForm) -> datetime:
    return datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"])


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Keputusan / tindak lanjut"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agency = forms.ModelChoiceField(
        label=_("Instansi penanggung jawab"),
        queryset=Agency.objects.filter(is_active=True),
        to_field_name="slug",
    )
    assignee = forms.ModelChoiceField(
        label=_("Petugas (boleh kosong)"),
        queryset=TeamMember.objects.filter(active=True),
        required=False,
    )
    due_on = forms.DateField(label=_("Tenggat"), widget=DATE)

    def action_input(self) -> meetings.ActionInput:
        d = self.cleaned_data
        return meetings.ActionInput(
            text=d["text"],
            agency=d["agency"].slug,
            due_on=d["due_on"],
            assignee_id=d["assignee"].pk if d["assignee"] else None,
        )


class EventForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan tindak lanjut"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("— tetap —")), *ActionStatus.choices],
    )

"""The forms of the incident pages: phone-first, in Indonesian. They only read input; the
services decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from deskpemilu.accounts.access import regions_for
from deskpemilu.accounts.models import Agency, AgencyKind, Role, User
from deskpemilu.incidents.models import Category, RequestKind, Severity
from deskpemilu.regions import installation
from deskpemilu.regions.models import Level, Region

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
SEVERITY_HELP = {
    Severity.RENDAH: _("tidak mengganggu pemungutan suara"),
    Severity.SEDANG: _("mengganggu sebagian, dapat diatasi di tempat"),
    Severity.TINGGI: _("pemungutan suara terganggu, perlu bantuan"),
    Severity.KRITIS: _("ancaman keselamatan / pemungutan suara terhenti"),
}


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_INPUT, **kwargs)


def now_local() -> str:
    return timezone.localtime().strftime(LOCAL_INPUT)


def kelurahan_choices(user: User) -> list[tuple[str, str]]:
    """The kelurahan a reporter may choose: those inside their scope (the installation's for
    unscoped accounts)."""
    qs = regions_for(user).filter(level__in=(Level.KELURAHAN, Level.DESA))
    if user.sees_all_areas:
        qs = qs.filter(code__startswith=installation.code_prefix())
    rows = qs.select_related("parent").order_by("parent__name", "name")
    return [(r.code, f"{r.name} ({r.parent.name if r.parent else ''})") for r in rows]


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    severity = forms.ChoiceField(
        label=_("Tingkat"),
        # Lazy: an f-string here would freeze the labels in the language of the import.
        choices=[(s.value, format_lazy("{} — {}", s.label, SEVERITY_HELP[s])) for s in Severity],
        widget=forms.RadioSelect,
        initial=Severity.SEDANG,
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan"))
    tps = forms.CharField(
        label=_("Nomor TPS (kosongkan bila bukan di TPS)"),
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "mis. 5"}),
    )
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian"), input_formats=[LOCAL_INPUT], widget=LocalDateTimeInput()
    )
    description = forms.CharField(
        label=_("Apa yang terjadi?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = kelurahan_choices(user)
        _choices(self, "kelurahan").choices = choices
        if len(choices) == 1:
            self.fields["kelurahan"].initial = choices[0][0]
        self.fields["occurred_at"].initial = now_local()

    def tps_code(self) -> str | None:
        """The 13-digit TPS code from a number (in the chosen kelurahan) or a full code."""
        text = str(self.cleaned_data.get("tps", "")).strip()
        if not text:
            return None
        if len(text) == 13:
            return text
        if text.isascii() and text.isdigit() and 1 <= int(text) <= 999:
            return f"{self.cleaned_data['kelurahan']}{int(text):03d}"
        return "x"  # refused by the access helper as not found


class StepForm(forms.Form):
    """One action on an incident's detail page."""

    action = forms.ChoiceField(
        choices=[
            ("catatan", _("Catatan")),
            ("diverifikasi", _("Verifikasi")),
            ("diteruskan", _("Teruskan")),
            ("ditangani", _("Ditangani")),
            ("selesai", _("Selesai")),
            ("ditolak", _("Tolak")),
            ("duplikat", _("Duplikat")),
        ]
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=4000)
    agencies = forms.MultipleChoiceField(label=_("Teruskan ke"), required=False, choices=[])
    duplicate_of = forms.CharField(label=_("Nomor kejadian asal"), required=False, max_length=20)
    expected_status = forms.CharField(required=False, max_length=14, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agencies").choices = agency_choices()


def agency_choices() -> list[tuple[str, str]]:
    return [
        (a.slug, a.name)
        for a in Agency.objects.filter(is_active=True).order_by("kind", "name")
        if a.slug
    ]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis kebutuhan"), choices=RequestKind.choices)
    description = forms.CharField(
        label=_("Uraian kebutuhan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    region = forms.ChoiceField(label=_("Wilayah"))
    needed_by = forms.DateTimeField(
        label=_("Dibutuhkan paling lambat"),
        input_formats=[LOCAL_INPUT],
        widget=LocalDateTimeInput(),
    )
    requested_by_agency = forms.ChoiceField(label=_("Dari"), choices=[])
    requested_by_unit = forms.CharField(
        label=_("Unit (PPK/PPS/Panwascam…)"), required=False, max_length=120
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = regions_for(user).filter(
            level__in=(Level.KOTA, Level.KABUPATEN, Level.KECAMATAN, Level.KELURAHAN, Level.DESA)
        )
        if user.sees_all_areas:
            regions = regions.filter(code__startswith=installation.code_prefix())
        _choices(self, "region").choices = [
            (r.code, f"{r.get_level_display()} {r.name}") for r in _ordered(regions)
        ]
        agencies = Agency.objects.filter(slug__in=("kpu", "bawaslu"), kind=AgencyKind.LIAISON)
        if user.role == Role.LIAISON:
            agencies = agencies.filter(members=user)
        _choices(self, "requested_by_agency").choices = [(a.slug, a.name) for a in agencies]


def _ordered(regions: Any) -> list[Region]:
    return sorted(regions, key=lambda r: (len(r.code), r.name))


class RequestStepForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("catatan", _("Catatan")),
            ("tugaskan", _("Tugaskan")),
            ("diproses", _("Diproses")),
            ("dipenuhi", _("Dipenuhi")),
            ("ditolak", _("Tolak")),
        ]
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=4000)
    assign_to = forms.ChoiceField(label=_("Instansi"), required=False, choices=[])
    expected_status = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "assign_to").choices = [("", "—"), *agency_choices()]


def aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value

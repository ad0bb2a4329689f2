"""Web forms of the health pages: they only read fields; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deskpemilu.health.models import Condition, PersonRole, Shift
from deskpemilu.regions.models import Puskesmas

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class IncidentForm(forms.Form):
    tps_code = forms.RegexField(
        label=_("Kode TPS"),
        regex=r"^\d{13}$",
        help_text=_("13 angka: kode kelurahan + nomor TPS, mis. 5271011006001"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "list": "tps-list"}),
    )
    person_role = forms.ChoiceField(label=_("Peran"), choices=PersonRole.choices)
    condition = forms.ChoiceField(label=_("Kondisi"), choices=Condition.choices)
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian (WITA)"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    puskesmas = forms.ModelChoiceField(
        label=_("Puskesmas penanganan"),
        queryset=Puskesmas.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("— otomatis / belum tahu —"),
    )
    note = forms.CharField(
        label=_("Keterangan"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3})
    )
    name = forms.CharField(
        label=_("Nama (opsional)"),
        max_length=100,
        required=False,
        help_text=_("Hanya bila perlu untuk tindak lanjut. Jangan menulis NIK."),
    )


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("Tindak lanjut"), max_length=2000, widget=forms.Textarea({"rows": 2})
    )
    condition = forms.ChoiceField(
        label=_("Kondisi kini"),
        choices=[("", _("— tetap —")), *Condition.choices],
        required=False,
    )
    puskesmas = forms.ModelChoiceField(
        label=_("Dialihkan ke puskesmas"),
        queryset=Puskesmas.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("— tetap —"),
    )
    close = forms.BooleanField(label=_("Kasus selesai (tutup)"), required=False)


class PostForm(forms.Form):
    name = forms.CharField(label=_("Nama/tempat posko"), max_length=150)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    hours = forms.CharField(
        label=_("Jam buka"), max_length=60, required=False, help_text=_("mis. 07.00–22.00")
    )
    has_ambulance = forms.BooleanField(label=_("Ada ambulans"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)


class ShiftForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    shift = forms.ChoiceField(label=_("Sif"), choices=Shift.choices)
    dokter = forms.IntegerField(label=_("Dokter"), min_value=0, max_value=500, initial=0)
    perawat = forms.IntegerField(label=_("Perawat"), min_value=0, max_value=500, initial=0)
    bidan = forms.IntegerField(label=_("Bidan"), min_value=0, max_value=500, initial=0)
    sopir_ambulans = forms.IntegerField(
        label=_("Sopir ambulans"), min_value=0, max_value=500, initial=0
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

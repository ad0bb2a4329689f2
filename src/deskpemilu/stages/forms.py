"""Forms of the stage pages; the rules live in stages.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deskpemilu.stages.models import State

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatusForm(forms.Form):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    status = forms.ChoiceField(label=_("Status"), choices=State.choices)
    note = forms.CharField(
        label=_("Catatan"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib bila bermasalah: apa masalahnya dan siapa menanganinya."),
    )

    def __init__(self, *args: object, kecamatan: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kecamatan"].choices = kecamatan  # type: ignore[attr-defined]


class StageForm(forms.Form):
    starts_on = forms.DateField(label=_("Mulai"), widget=DATE)
    ends_on = forms.DateField(label=_("Selesai"), widget=DATE)
    active = forms.BooleanField(label=_("Diikuti desk"), required=False)

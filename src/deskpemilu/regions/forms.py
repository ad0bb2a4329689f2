from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

from deskpemilu.elections.models import Election

# A city's whole TPS list is well under 1 MB; 20 MB leaves room for a province.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")


class TpsImportForm(forms.Form):
    # Whose TPS the file lists (like `import_tps --pemilihan`): each election has its own.
    pemilihan = forms.ModelChoiceField(
        label=_("Pemilihan"),
        queryset=Election.objects.order_by("-voting_day", "code"),
        to_field_name="code",
        empty_label=None,
        required=False,  # absent: the active election (the service's default)
    )
    file = forms.FileField(
        label=_("Berkas daftar TPS (.csv atau .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The active election is the default, as for the command.
        active = Election.objects.filter(active=True).values_list("code", flat=True).first()
        self.fields["pemilihan"].initial = active

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Format berkas harus .csv atau .xlsx."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas lebih dari %s MB.") % (MAX_UPLOAD_BYTES // (1024 * 1024))
            )
        return upload


class SizeCapHandler(FileUploadHandler):
    """Skips any uploaded file past MAX_UPLOAD_BYTES while it streams in, so an oversized file
    is neither kept in memory nor spooled to disk; the view then says why it is missing."""

    too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > MAX_UPLOAD_BYTES:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler in the chain builds the file

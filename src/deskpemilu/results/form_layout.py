"""The C.Hasil paper form as the pages show it: its sections I–V, which box sums into which
total, and the layout bound to values and messages for the templates.

No rule lives here: every check of the numbers is `tally`'s, reached through
`services.check_sheet`. This module only knows the paper form's layout so the page can be typed
in the order of the paper; forms.py turns a posted page into the API's sheet body."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from deskpemilu.results.contests import DapilInfo
from deskpemilu.results.forms import Messages

# Fields of a page that are not boxes of the sheet, where a problem may also point.
PAGE_FIELDS = ("catatan", "konfirmasi_tidak_konsisten", "alasan_koreksi", "foto")


@dataclass(frozen=True)
class Box:
    """One box of the paper form: an input, or (name == "") an empty place in a row."""

    name: str
    sums: str = ""  # the live totals this box adds to (space-separated group names)
    caption: Any = ""  # "L", "P" or ""


@dataclass(frozen=True)
class Line:
    number: str
    label: Any
    boxes: tuple[Box, ...] = ()
    total: str = ""  # the group whose sum is shown at the end of the line
    totals: tuple[str, ...] = ()  # a computed line: the groups it shows, no inputs
    hint: str = ""  # a group shown beside the line for comparison (e.g. the sum of section IV)
    hint_label: Any = ""


@dataclass(frozen=True)
class Block:
    """A titled group of lines; in section IV a party with its candidates."""

    title: Any
    lines: tuple[Line, ...]
    total: str = ""
    total_label: Any = ""


@dataclass(frozen=True)
class Section:
    number: str
    title: Any
    blocks: tuple[Block, ...]
    gendered: bool = False
    note: Any = ""


def _gendered(number: str, label: Any, key: str, group: str, extra: str = "") -> Line:
    """A row with a box per sex (L, P) and their sum; `extra` is a wider total it adds to."""

    def sums(sex: str) -> str:
        groups = [group, f"{group}-{sex}"]
        if extra:
            groups += [extra, f"{extra}-{sex}"]
        return " ".join(groups)

    boxes = (
        Box(f"administrasi.{key}_l", sums("l"), _("L")),
        Box(f"administrasi.{key}_p", sums("p"), _("P")),
    )
    return Line(number, label, boxes, total=group)


def _section_one() -> Section:
    voters = (
        _gendered("1", _("Pengguna hak pilih dalam DPT"), "pengguna_dpt", "b-dpt", "voters"),
        _gendered(
            "2", _("Pengguna hak pilih dalam DPTb (pindahan)"), "pengguna_dptb", "b-dptb", "voters"
        ),
        _gendered(
            "3",
            _("Pengguna hak pilih dalam DPK (dengan KTP-el)"),
            "pengguna_non_dpt",
            "b-dpk",
            "voters",
        ),
        Line(
            "4",
            _("Jumlah pengguna hak pilih (1 + 2 + 3)"),
            totals=("voters-l", "voters-p", "voters"),
        ),
    )
    return Section(
        "I",
        _("Data pemilih dan pengguna hak pilih"),
        (
            Block(
                _("A. Data pemilih"),
                (_gendered("1", _("Jumlah pemilih dalam DPT"), "pemilih_dpt", "dpt"),),
            ),
            Block(_("B. Pengguna hak pilih"), voters),
        ),
        gendered=True,
        note=_("DPT sudah diisi dari data induk TPS; ubah bila formulir menulis lain."),
    )


def _single(number: str, label: Any, key: str, sums: str = "", **kw: Any) -> Line:
    return Line(number, label, (Box(f"administrasi.{key}", sums),), **kw)


def _section_two() -> Section:
    lines = (
        _single(
            "1",
            _("Jumlah surat suara yang diterima, termasuk cadangan 2%"),
            "surat_suara_diterima",
            hint="ballots",
            hint_label=_("2 + 3 + 4"),
        ),
        _single(
            "2",
            _("Surat suara dikembalikan pemilih karena rusak atau keliru dicoblos"),
            "surat_suara_rusak",
            "ballots",
        ),
        _single(
            "3",
            _("Surat suara tidak digunakan, termasuk sisa cadangan"),
            "surat_suara_tidak_digunakan",
            "ballots",
        ),
        _single(
            "4",
            _("Jumlah surat suara yang digunakan"),
            "surat_suara_digunakan",
            "ballots ballots-used",
            hint="voters",
            hint_label=_("pengguna hak pilih"),
        ),
    )
    return Section("II", _("Data penggunaan surat suara"), (Block("", lines),))


def _section_three() -> Section:
    lines = (
        _gendered("1", _("Jumlah pemilih disabilitas dalam DPT"), "pemilih_disabilitas", "dis-dpt"),
        _gendered(
            "2",
            _("Pemilih disabilitas yang menggunakan hak pilih"),
            "pengguna_disabilitas",
            "dis-voted",
        ),
    )
    return Section(
        "III",
        _("Data pemilih disabilitas"),
        (Block("", lines),),
        gendered=True,
        note=_("Boleh dikosongkan bila formulir tidak mengisinya."),
    )


def _section_five() -> Section:
    lines = (
        _single(
            "A",
            _("Jumlah seluruh suara sah"),
            "suara_sah",
            "valid-invalid",
            hint="iv",
            hint_label=_("jumlah bagian IV"),
        ),
        _single("B", _("Jumlah suara tidak sah"), "suara_tidak_sah", "valid-invalid"),
        Line(
            "C",
            _("Jumlah suara sah dan tidak sah (A + B)"),
            totals=("valid-invalid",),
            hint="ballots-used",
            hint_label=_("surat suara digunakan"),
        ),
    )
    return Section("V", _("Data suara sah dan tidak sah"), (Block("", lines),))


def _choice_line(key: str, label: str, sums: str) -> Line:
    return Line(key, label, (Box(f"suara.{key}", sums),))


def _section_four(kind: str, dapil: DapilInfo) -> Section:
    labels = dapil.labels
    if kind != "party":
        choices = tuple(_choice_line(k, labels.get(k, k), "iv") for k in dapil.keys)
        title = (
            _("Perolehan suara pasangan calon") if kind == "paslon" else _("Perolehan suara calon")
        )
        return Section("IV", title, (Block("", choices),))
    blocks = []
    for party, keys in _by_party(dapil.keys).items():
        # The party's own box, then its candidates by number; the block's total is both.
        group = f"party-{party}"
        own = Line(party, _("Suara partai saja"), (Box(f"suara.{party}", f"iv {group}"),))
        candidates = [
            Line(k.partition(".")[2], labels.get(k, k), (Box(f"suara.{k}", f"iv {group}"),))
            for k in keys
            if k != party
        ]
        blocks.append(
            Block(
                f"{party}. {labels.get(party, party)}",
                (own, *candidates),
                total=group,
                total_label=_("Jumlah suara partai dan calon"),
            )
        )
    return Section(
        "IV",
        _("Perolehan suara partai politik dan calon"),
        tuple(blocks),
        note=_("Kolom suara yang dibiarkan kosong dihitung 0."),
    )


def _by_party(keys: Iterable[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(key.partition(".")[0], []).append(key)
    return groups


def sheet_layout(kind: str, dapil: DapilInfo) -> tuple[Section, ...]:
    """Sections I–V of the contest's C.Hasil, in the order of the paper form."""
    return (
        _section_one(),
        _section_two(),
        _section_three(),
        _section_four(kind, dapil),
        _section_five(),
    )


def box_labels(layout: Sequence[Section]) -> list[tuple[str, str]]:
    """(name, readable label) of every box, in paper order: for lists and comparisons."""
    rows = []
    for section in layout:
        for block in section.blocks:
            for line in block.lines:
                for box in line.boxes:
                    suffix = f" ({box.caption})" if box.caption else ""
                    prefix = f"{block.title} — " if section.number == "IV" and block.title else ""
                    rows.append((box.name, f"{section.number}. {prefix}{line.label}{suffix}"))
    return rows


def all_fields(layout: Sequence[Section]) -> set[str]:
    names = {name for name, _label in box_labels(layout)}
    return names | set(PAGE_FIELDS)


# --- the layout bound to values and messages, for the templates ---------------------------


def _as_int(value: Any) -> int:
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0


def group_sums(layout: Sequence[Section], values: Mapping[str, Any]) -> dict[str, int]:
    """The live totals as the server sees them (the page's script recomputes them as one types)."""
    sums: dict[str, int] = {}
    for section in layout:
        for block in section.blocks:
            for line in block.lines:
                for box in line.boxes:
                    number = _as_int(values.get(box.name, ""))
                    for group in box.sums.split():
                        sums[group] = sums.get(group, 0) + number
    return sums


def _captions(count: int) -> list[Any]:
    return [_("L"), _("P"), _("Jml")] if count == 3 else [""] * count


def _bind_line(line: Line, values: Mapping[str, Any], msgs: Messages, sums: dict[str, int]) -> Any:
    boxes = [
        {
            "name": box.name,
            "id": "f-" + box.name.replace(".", "-"),
            "sums": box.sums,
            "caption": box.caption,
            "label": f"{line.label} {box.caption}".strip(),
            "value": values.get(box.name, ""),
            "messages": msgs.by_field.get(box.name, []),
        }
        for box in line.boxes
    ]
    return {
        "number": line.number,
        "label": line.label,
        "boxes": boxes,
        "total": line.total,
        "total_value": sums.get(line.total, 0),
        "totals": [
            (g, sums.get(g, 0), caption)
            for g, caption in zip(line.totals, _captions(len(line.totals)), strict=True)
        ],
        "shape": "single" if len(line.boxes) + len(line.totals) == 1 else "gendered",
        "hint": line.hint,
        "hint_label": line.hint_label,
        "hint_value": sums.get(line.hint, 0),
        "has_messages": any(b["messages"] for b in boxes),
    }


def bind(
    layout: Sequence[Section], values: Mapping[str, Any], msgs: Messages | None = None
) -> list[dict[str, Any]]:
    """Sections → blocks → lines → boxes as plain dicts, with values, sums and messages."""
    msgs = msgs or Messages()
    sums = group_sums(layout, values)
    return [
        {
            "number": s.number,
            "title": s.title,
            "gendered": s.gendered,
            "note": s.note,
            "blocks": [
                {
                    "title": b.title,
                    "total": b.total,
                    "total_label": b.total_label,
                    "total_value": sums.get(b.total, 0),
                    "lines": [_bind_line(ln, values, msgs, sums) for ln in b.lines],
                }
                for b in s.blocks
            ],
        }
        for s in layout
    ]

"""One list of rule codes, with Indonesian and English messages, for the form, the API, imports
and the anomaly list. Codes are stable: clients and stored flags rely on them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    STRUCTURE = "structure"  # refused, nothing stored
    ARITHMETIC = "arithmetic"  # refused unless the operator confirms the form says so
    SIGN = "sign"  # stored, flagged for the desk
    WORKFLOW = "workflow"  # the request does not fit the sheet's state (versions, roles)


@dataclass(frozen=True)
class Rule:
    code: str
    kind: Kind
    id: str
    en: str


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        # Structure
        Rule(
            "bukan_objek",
            Kind.STRUCTURE,
            "Isi harus berupa objek JSON.",
            "The body must be a JSON object.",
        ),
        Rule(
            "kunci_wajib", Kind.STRUCTURE, "Kolom wajib belum diisi.", "A required key is missing."
        ),
        Rule("kunci_tidak_dikenal", Kind.STRUCTURE, "Kolom tidak dikenal.", "Unknown key."),
        Rule(
            "bukan_bilangan_bulat",
            Kind.STRUCTURE,
            "Harus bilangan bulat.",
            "Must be a whole number.",
        ),
        Rule("bilangan_negatif", Kind.STRUCTURE, "Tidak boleh negatif.", "Must not be negative."),
        Rule("bilangan_terlalu_besar", Kind.STRUCTURE, "Paling besar 1000.", "At most 1000."),
        Rule(
            "catatan_terlalu_panjang",
            Kind.STRUCTURE,
            "Catatan paling panjang 2.000 karakter.",
            "The note is at most 2,000 characters.",
        ),
        Rule("bukan_boolean", Kind.STRUCTURE, "Harus true atau false.", "Must be true or false."),
        Rule("bukan_teks", Kind.STRUCTURE, "Harus teks.", "Must be text."),
        # Arithmetic (GLOSSARY.md: what a correct form satisfies)
        Rule(
            "pengguna_tidak_sama_digunakan",
            Kind.ARITHMETIC,
            "Jumlah pengguna hak pilih (DPT + DPTb + DPK) tidak sama dengan surat suara "
            "yang digunakan.",
            "Voters who voted (DPT + DPTb + DPK) differ from ballots used.",
        ),
        Rule(
            "surat_suara_tidak_seimbang",
            Kind.ARITHMETIC,
            "Surat suara diterima tidak sama dengan digunakan + rusak + tidak digunakan.",
            "Ballots received differ from used + damaged + unused.",
        ),
        Rule(
            "suara_sah_tidak_sama_rincian",
            Kind.ARITHMETIC,
            "Suara sah tidak sama dengan jumlah perolehan suara (bagian IV).",
            "Valid votes differ from the sum of the votes in section IV.",
        ),
        Rule(
            "sah_tidak_sah_tidak_sama_digunakan",
            Kind.ARITHMETIC,
            "Suara sah + tidak sah tidak sama dengan surat suara yang digunakan.",
            "Valid + invalid votes differ from ballots used.",
        ),
        Rule(
            "pengguna_dpt_melebihi_dpt",
            Kind.ARITHMETIC,
            "Pengguna hak pilih dari DPT melebihi jumlah DPT.",
            "Voters from the DPT exceed the DPT.",
        ),
        Rule(
            "konfirmasi_tanpa_catatan",
            Kind.ARITHMETIC,
            "Konfirmasi bahwa formulir memang tidak konsisten wajib disertai catatan.",
            "Confirming an inconsistent form requires a note explaining it.",
        ),
        # Signs of a misread or mistyped form
        Rule(
            "suara_sah_melebihi_dpt",
            Kind.SIGN,
            "Suara sah melebihi DPT + 2% pada lembar ini.",
            "Valid votes exceed the sheet's DPT + 2%.",
        ),
        Rule(
            "dpt_beda_data_induk",
            Kind.SIGN,
            "DPT pada lembar berbeda dengan DPT TPS di data induk.",
            "The sheet's DPT differs from the TPS's DPT in the master data.",
        ),
        Rule(
            "pilihan_melebihi_batas",
            Kind.SIGN,
            "Suara satu pilihan melebihi batas pemilih per TPS.",
            "One choice has more votes than a TPS can have voters.",
        ),
        Rule(
            "partisipasi_beda_antar_surat",
            Kind.SIGN,
            "Jumlah surat suara digunakan berbeda jauh dengan surat suara lain di TPS ini.",
            "Ballots used differ markedly from the other ballots of this TPS.",
        ),
        Rule(
            "digit_bergeser",
            Kind.SIGN,
            "Angka ini jauh dari TPS sekitar; satu digit diganti akan membuatnya wajar "
            "(kemungkinan salah baca/ketik, mis. 117 menjadi 617).",
            "Far from neighbouring TPS; changing one digit makes it plausible "
            "(a likely misread, e.g. 117 as 617).",
        ),
        Rule(
            "kolom_tertukar",
            Kind.SIGN,
            "Suara dua pilihan tampak tertukar dibanding TPS sekitar.",
            "The votes of two choices look swapped compared with neighbouring TPS.",
        ),
        Rule(
            "dikonfirmasi_tidak_konsisten",
            Kind.SIGN,
            "Operator menyatakan formulir memang tidak konsisten; perlu diperiksa orang kedua.",
            "The operator confirmed the form itself is inconsistent; a second person must look.",
        ),
        # Workflow
        Rule(
            "versi_bukan_terkini",
            Kind.WORKFLOW,
            "Versi yang dirujuk bukan versi terkini; muat ulang lalu ulangi.",
            "The version referred to is not the current one; reload and retry.",
        ),
        Rule(
            "terkunci",
            Kind.WORKFLOW,
            "Lembar sudah terverifikasi dan terkunci; perubahan hanya oleh admin dengan alasan.",
            "The sheet is verified and locked; only an admin may change it, with a reason.",
        ),
        Rule(
            "pemilihan_tidak_aktif",
            Kind.WORKFLOW,
            "Pemilihan kontes ini tidak aktif: hasilnya hanya dapat dibaca. Desk dapat "
            "mengaktifkannya di halaman Pemilihan.",
            "This contest's election is not active: its results are read-only. The desk may "
            "activate it on the Elections page.",
        ),
        Rule(
            "kontes_tidak_di_tps",
            Kind.WORKFLOW,
            "Kontes ini tidak dipilih di TPS ini: tidak ada dapilnya yang mencakup wilayah TPS.",
            "This contest is not on the ballot at this TPS: none of its dapil covers the TPS's "
            "region.",
        ),
        Rule("alasan_wajib", Kind.WORKFLOW, "Alasan wajib diisi.", "A reason is required."),
        Rule(
            "bukan_verifikator",
            Kind.WORKFLOW,
            "Akun ini tidak berhak memverifikasi.",
            "This account may not verify.",
        ),
        Rule(
            "verifikator_sama_dengan_pengentri",
            Kind.WORKFLOW,
            "Verifikasi harus oleh orang lain, bukan pengentri versi ini.",
            "Verification must be by someone other than the version's author.",
        ),
        Rule(
            "entri_buta_wajib",
            Kind.WORKFLOW,
            "Kontes ini diverifikasi dengan entri ganda buta: ketik ulang seluruh lembar.",
            "This contest is verified by blind double entry: type the whole sheet again.",
        ),
        Rule(
            "entri_buta_berbeda",
            Kind.WORKFLOW,
            "Entri ulang berbeda dari entri pertama; lembar menunggu keputusan supervisor.",
            "The re-entry differs from the first entry; the sheet awaits a supervisor.",
        ),
        Rule(
            "menunggu_supervisor",
            Kind.WORKFLOW,
            "Lembar menunggu keputusan supervisor atas selisih entri.",
            "The sheet awaits a supervisor's decision on the mismatch.",
        ),
        Rule(
            "foto_wajib",
            Kind.WORKFLOW,
            "Verifikasi terhadap foto memerlukan foto formulir pada versi ini; unggah fotonya "
            "dahulu.",
            "Checking against the photo needs a photo of the form on this version; upload it "
            "first.",
        ),
        Rule(
            "kunci_idempotensi_dipakai",
            Kind.WORKFLOW,
            "Idempotency-Key ini sudah dipakai untuk permintaan lain (isi atau pengirim berbeda); "
            "buat kunci baru untuk permintaan baru.",
            "This Idempotency-Key was used for another request (a different body or caller); "
            "make a new key for a new request.",
        ),
        Rule(
            "supervisor_terlibat",
            Kind.WORKFLOW,
            "Selisih harus diputus oleh orang ketiga, bukan pengentri pertama atau pengentri "
            "ulang.",
            "A mismatch must be settled by a third person, not by the first or second entrant.",
        ),
        Rule(
            "sudah_terverifikasi",
            Kind.WORKFLOW,
            "Lembar ini sudah terverifikasi.",
            "This sheet is already verified.",
        ),
        Rule(
            "sudah_dikembalikan",
            Kind.WORKFLOW,
            "Lembar ini sudah dikembalikan ke operator; menunggu koreksi.",
            "This sheet was already returned to its operator; it awaits a correction.",
        ),
        Rule(
            "bukan_pengentri",
            Kind.WORKFLOW,
            "Akun ini tidak berhak mengentri hasil.",
            "This account may not enter results.",
        ),
        Rule(
            "foto_rusak",
            Kind.WORKFLOW,
            "Berkas bukan foto yang dapat dibaca.",
            "The file is not a readable photo.",
        ),
        Rule("foto_terlalu_besar", Kind.WORKFLOW, "Foto terlalu besar.", "The photo is too large."),
        Rule(
            "foto_kiriman_terlalu_besar",
            Kind.WORKFLOW,
            "Foto dalam satu kiriman terlalu besar; kirim lebih sedikit foto sekaligus.",
            "The photos of one upload are too large together; send fewer at a time.",
        ),
        Rule(
            "foto_format",
            Kind.WORKFLOW,
            "Foto harus JPEG, PNG atau WebP.",
            "The photo must be JPEG, PNG or WebP.",
        ),
    ]
}


@dataclass(frozen=True)
class Problem:
    code: str
    field: str = ""
    detail: str = ""

    @property
    def kind(self) -> Kind:
        return RULES[self.code].kind

    def message(self, language: str = "id") -> str:
        rule = RULES[self.code]
        text = rule.en if language.startswith("en") else rule.id
        return f"{text} {self.detail}".strip()

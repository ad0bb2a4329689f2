"""Known answers and properties of the C.Hasil rules."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from deskpemilu.tally.codes import RULES, Kind
from deskpemilu.tally.sheet import (
    ADMINISTRASI_REQUIRED,
    Context,
    arithmetic_problems,
    misread_signs,
    neighbour_signs,
    neighbourhood_signs,
    one_digit_variants,
    parse_sheet,
)

PPWP = ["1", "2", "3"]


def contract_example() -> dict[str, Any]:
    """The sheet body of CONTRACT.md, which is consistent."""
    return {
        "administrasi": {
            "pemilih_dpt_l": 120,
            "pemilih_dpt_p": 125,
            "pengguna_dpt_l": 100,
            "pengguna_dpt_p": 110,
            "pengguna_dptb_l": 1,
            "pengguna_dptb_p": 0,
            "pengguna_non_dpt_l": 2,
            "pengguna_non_dpt_p": 1,
            "surat_suara_diterima": 250,
            "surat_suara_digunakan": 214,
            "surat_suara_rusak": 1,
            "surat_suara_tidak_digunakan": 35,
            "suara_sah": 210,
            "suara_tidak_sah": 4,
        },
        "suara": {"1": 60, "2": 120, "3": 30},
        "catatan": "optional note",
        "konfirmasi_tidak_konsisten": False,
    }


def codes(problems: list[Any]) -> list[str]:
    return [p.code for p in problems]


def test_it_accepts_the_contract_example() -> None:
    parsed = parse_sheet(contract_example(), PPWP)
    assert parsed.problems == []
    assert parsed.sheet is not None
    assert arithmetic_problems(parsed.sheet) == []
    assert misread_signs(parsed.sheet, Context(master_dpt=245)) == []


def test_it_names_missing_and_unknown_keys() -> None:
    body = contract_example()
    del body["administrasi"]["suara_sah"]
    body["administrasi"]["suara_hilang"] = 1
    body["suara"]["4"] = 0
    body["extra"] = 1
    problems = parse_sheet(body, PPWP).problems
    assert ("kunci_wajib", "administrasi.suara_sah") in [(p.code, p.field) for p in problems]
    assert ("kunci_tidak_dikenal", "administrasi.suara_hilang") in [
        (p.code, p.field) for p in problems
    ]
    assert ("kunci_tidak_dikenal", "suara.4") in [(p.code, p.field) for p in problems]
    assert ("kunci_tidak_dikenal", "extra") in [(p.code, p.field) for p in problems]


def test_it_refuses_booleans_floats_strings_negatives_and_big_numbers() -> None:
    for value, code in [
        (True, "bukan_bilangan_bulat"),
        (1.5, "bukan_bilangan_bulat"),
        ("12", "bukan_bilangan_bulat"),
        (None, "bukan_bilangan_bulat"),
        (-1, "bilangan_negatif"),
        (1001, "bilangan_terlalu_besar"),
    ]:
        body = contract_example()
        body["suara"]["2"] = value
        assert codes(parse_sheet(body, PPWP).problems) == [code], value


def test_it_limits_the_note() -> None:
    body = contract_example()
    body["catatan"] = "x" * 2001
    assert codes(parse_sheet(body, PPWP).problems) == ["catatan_terlalu_panjang"]


def test_it_refuses_a_note_no_database_can_store() -> None:
    # A NUL (PostgreSQL refuses it) or a lone surrogate (JSON "\ud800"): once a 500 on saving.
    for note in ("a\x00b", "\ud800", "x\udfff"):
        body = contract_example()
        body["catatan"] = note
        assert codes(parse_sheet(body, PPWP).problems) == ["bukan_teks"], repr(note)
    body = contract_example()
    body["catatan"] = "Kotak suara basah \U0001f327"  # a character beyond the BMP is fine
    assert parse_sheet(body, PPWP).problems == []


def test_it_catches_the_sirekap_misread_117_as_617() -> None:
    body = contract_example()
    body["suara"] = {"1": 60, "2": 617, "3": 30}  # the form says 120; read as 620-ish
    sheet = parse_sheet(body, PPWP).sheet
    assert sheet is not None
    assert "suara_sah_tidak_sama_rincian" in codes(arithmetic_problems(sheet))
    signs = codes(misread_signs(sheet, Context(master_dpt=245)))
    assert "pilihan_melebihi_batas" in signs


def test_it_flags_a_consistently_misread_form_against_its_neighbours() -> None:
    """Every sum fits, but paslon 2 has 617 where neighbours have ~120: a digit shift."""
    body = contract_example()
    a = body["administrasi"]
    a.update(
        pemilih_dpt_l=400,
        pemilih_dpt_p=400,
        pengguna_dpt_l=350,
        pengguna_dpt_p=357,
        surat_suara_diterima=900,
        surat_suara_digunakan=711,
        surat_suara_tidak_digunakan=188,
        suara_sah=707,
        suara_tidak_sah=4,
    )
    body["suara"] = {"1": 60, "2": 617, "3": 30}
    sheet = parse_sheet(body, PPWP).sheet
    assert sheet is not None
    assert arithmetic_problems(sheet) == []
    neighbours = [
        {"1": 58, "2": 117, "3": 31},
        {"1": 66, "2": 125, "3": 28},
        {"1": 55, "2": 110, "3": 35},
        {"1": 61, "2": 121, "3": 30},
    ]
    signs = misread_signs(sheet, Context(master_dpt=245, neighbour_votes=neighbours))
    assert ("digit_bergeser", "suara.2") in [(s.code, s.field) for s in signs]
    assert "suara_sah_melebihi_dpt" not in codes(signs)  # its own DPT was misread too
    assert "dpt_beda_data_induk" in codes(signs)


def test_it_flags_swapped_columns() -> None:
    body = contract_example()
    body["suara"] = {"1": 120, "2": 60, "3": 30}
    sheet = parse_sheet(body, PPWP).sheet
    assert sheet is not None
    neighbours = [
        {"1": 58, "2": 121, "3": 31},
        {"1": 63, "2": 118, "3": 29},
        {"1": 57, "2": 124, "3": 33},
    ]
    signs = misread_signs(sheet, Context(neighbour_votes=neighbours))
    assert "kolom_tertukar" in codes(signs)


def test_it_does_not_flag_a_normal_sheet_against_its_neighbours() -> None:
    sheet = parse_sheet(contract_example(), PPWP).sheet
    assert sheet is not None
    neighbours = [
        {"1": 58, "2": 117, "3": 31},
        {"1": 66, "2": 125, "3": 28},
        {"1": 55, "2": 110, "3": 35},
    ]
    assert (
        misread_signs(
            sheet,
            Context(master_dpt=245, neighbour_votes=neighbours, other_ballots_used=[214, 213]),
        )
        == []
    )


def test_it_flags_turnout_differing_across_ballots() -> None:
    sheet = parse_sheet(contract_example(), PPWP).sheet
    assert sheet is not None
    signs = misread_signs(sheet, Context(other_ballots_used=[214, 150]))
    assert codes(signs) == ["partisipasi_beda_antar_surat"]


def test_it_flags_valid_votes_above_dpt_plus_two_percent() -> None:
    body = contract_example()
    body["administrasi"].update(pemilih_dpt_l=100, pemilih_dpt_p=100)
    sheet = parse_sheet(body, PPWP).sheet
    assert sheet is not None
    assert "suara_sah_melebihi_dpt" in codes(misread_signs(sheet, Context()))


def test_it_has_messages_in_both_languages_for_every_rule() -> None:
    for rule in RULES.values():
        assert rule.id and rule.en and rule.id != rule.en
        assert rule.code == rule.code.lower()
    assert {r.kind for r in RULES.values()} == set(Kind)


def test_it_lists_one_digit_variants() -> None:
    assert 117 in one_digit_variants(617)
    assert 17 in one_digit_variants(617)
    assert 617 not in one_digit_variants(617)


# --- Properties -------------------------------------------------------------------------------


@st.composite
def consistent_sheets(draw: st.DrawFn) -> dict[str, Any]:
    """A sheet as a careful KPPS fills it: every sum holds."""
    n = draw(st.integers(0, 300))
    dpt_l = draw(st.integers(0, n))
    dpt_p = n - dpt_l
    users = {f"pengguna_dpt_{s}": draw(st.integers(0, d)) for s, d in (("l", dpt_l), ("p", dpt_p))}
    extra = {
        f"pengguna_{k}_{s}": draw(st.integers(0, 5))
        for k in ("dptb", "non_dpt")
        for s in ("l", "p")
    }
    used = sum(users.values()) + sum(extra.values())
    invalid = draw(st.integers(0, used))
    valid = used - invalid
    split = sorted(draw(st.lists(st.integers(0, valid), min_size=2, max_size=2)))
    votes = {"1": split[0], "2": split[1] - split[0], "3": valid - split[1]}
    damaged = draw(st.integers(0, 5))
    unused = draw(st.integers(0, 20))
    return {
        "administrasi": {
            "pemilih_dpt_l": dpt_l,
            "pemilih_dpt_p": dpt_p,
            **users,
            **extra,
            "surat_suara_diterima": used + damaged + unused,
            "surat_suara_digunakan": used,
            "surat_suara_rusak": damaged,
            "surat_suara_tidak_digunakan": unused,
            "suara_sah": valid,
            "suara_tidak_sah": invalid,
        },
        "suara": votes,
    }


@given(consistent_sheets())
def test_property_consistent_sheets_pass(body: dict[str, Any]) -> None:
    parsed = parse_sheet(body, PPWP)
    assert parsed.problems == []
    assert parsed.sheet is not None
    assert arithmetic_problems(parsed.sheet) == []


@given(consistent_sheets(), st.sampled_from(ADMINISTRASI_REQUIRED[2:]), st.integers(1, 9))
def test_property_one_changed_count_breaks_a_rule(
    body: dict[str, Any], key: str, change: int
) -> None:
    a = body["administrasi"]
    if a[key] + change > 1000:
        change = -change
    if a[key] + change < 0:
        return
    a[key] += change
    sheet = parse_sheet(body, PPWP).sheet
    assert sheet is not None
    assert arithmetic_problems(sheet) != []


@given(consistent_sheets(), st.sampled_from(PPWP), st.integers(1, 9))
def test_property_one_changed_vote_breaks_the_valid_sum(
    body: dict[str, Any], key: str, change: int
) -> None:
    body["suara"][key] += change
    sheet = parse_sheet(body, PPWP).sheet
    assert sheet is not None
    assert "suara_sah_tidak_sama_rincian" in codes(arithmetic_problems(sheet))


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text() | st.integers(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_property_any_json_parses_without_crashing(body: Any) -> None:
    parsed = parse_sheet(body, PPWP)
    assert (parsed.sheet is None) == bool(parsed.problems)


# Columns of a kelurahan: mostly near one another, with some shifted digits and blank keys.
_KELURAHAN = st.lists(
    st.dictionaries(
        st.sampled_from(["1", "2", "3", "4"]),
        st.one_of(st.integers(0, 400), st.integers(0, 40), st.sampled_from([0, 61, 617, 1000])),
        min_size=1,
    ),
    min_size=0,
    max_size=30,
)


@given(_KELURAHAN)
def test_every_sheet_of_a_kelurahan_is_judged_as_if_alone(votes: list[dict[str, int]]) -> None:
    """`neighbourhood_signs` (each column sorted once) equals `neighbour_signs` per sheet."""
    alone = [neighbour_signs(v, votes[:i] + votes[i + 1 :]) for i, v in enumerate(votes)]
    assert neighbourhood_signs(votes) == alone


def test_a_kelurahan_judges_a_shifted_digit_as_one_sheet_alone_would() -> None:
    votes = [{"1": 120 + i, "2": 90 - i} for i in range(6)] + [{"1": 617, "2": 88}]
    signs = neighbourhood_signs(votes)
    assert [p.code for p in signs[-1]] == ["digit_bergeser"]
    assert signs[:-1] == [[] for _ in range(6)]

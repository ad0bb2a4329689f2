"""The form's offline checks and tally give the same answers: rules.js, in Chromium, evaluates
tally's description (/luring/aturan.json) on the same sheets that tally checks here: the
known-answer cases of tally/tests and a few hundred seeded random variations.

The reference is the server's check (results/services.py `check_sheet`) built from tally's own
functions: structure, then arithmetic (refused unless confirmed with a note), then one sheet's
signs. The signs that compare with other sheets need the server and are not part of it. Not in
the set: lone surrogates in a note (the browser's transport cannot carry them) and JSON 1.0
(JavaScript cannot tell it from 1)."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from deskpemilu.browser.tests.conftest import Desk
from deskpemilu.tally.codes import Kind, Problem
from deskpemilu.tally.sheet import Context, arithmetic_problems, misread_signs, parse_sheet
from deskpemilu.tally.tests.test_sheet import PPWP, contract_example

pytestmark = pytest.mark.browser


def tally_check(body: Any, ctx: dict[str, Any]) -> dict[str, Any]:
    """What the server's check answers for `body` (entry_views.sheet_check)."""
    problems: list[Problem] = []
    flags: list[Problem] = []
    parsed = parse_sheet(body, ctx["choices"])
    if parsed.sheet is None:
        problems = parsed.problems
    else:
        broken = arithmetic_problems(parsed.sheet)
        if broken and not parsed.sheet.konfirmasi_tidak_konsisten:
            problems = broken
        elif broken and not parsed.sheet.catatan:
            problems = [Problem("konfirmasi_tanpa_catatan", "catatan")]
        else:
            context = Context(master_dpt=ctx["masterDpt"], max_voters=ctx["maxVoters"])
            flags = broken + misread_signs(parsed.sheet, context)
    if ctx["correcting"] and not ctx["reason"].strip():
        problems.append(Problem("alasan_wajib", "alasan_koreksi"))
    return {
        "problems": sorted((p.code, p.field, p.message("id")) for p in problems),
        "flags": sorted((p.code, p.field, p.message("id")) for p in flags),
        "confirmable": bool(problems) and all(p.kind == Kind.ARITHMETIC for p in problems),
    }


def variant(**changes: Any) -> dict[str, Any]:
    body = contract_example()
    for path, value in changes.items():
        where, _, key = path.partition("__")
        if key:
            if value is ...:
                del body[where][key]
            else:
                body[where][key] = value
        elif value is ...:
            del body[where]
        else:
            body[where] = value
    return body


def known_answers() -> list[Any]:
    """The cases of tally/tests/test_sheet.py, and the other corners of the rules."""
    missing = variant(administrasi__suara_sah=..., administrasi__suara_hilang=1, extra=1)
    missing["suara"]["4"] = 0
    cases: list[Any] = [contract_example(), missing, None, [], "x", {}, {"suara": {}}]
    for value in (True, 1.5, "12", None, -1, 1001, 1000, 0):
        cases.append(variant(suara__2=value))
    cases += [
        variant(catatan="x" * 2001),
        variant(catatan="x" * 2000),
        variant(catatan="a\x00b"),
        variant(catatan="Kotak suara basah \U0001f327"),
        variant(catatan=None),
        variant(catatan=5),
        variant(konfirmasi_tidak_konsisten="ya"),
        variant(administrasi=[1, 2]),
        variant(suara="banyak"),
        variant(suara={"1": 60, "2": 617, "3": 30}),  # the Sirekap misread of 117 as 617
        variant(suara={"1": 60, "2": 617, "3": 30}, konfirmasi_tidak_konsisten=True),
        variant(suara={"1": 60, "2": 617, "3": 30}, konfirmasi_tidak_konsisten=True, catatan=" "),
        variant(administrasi__pengguna_dpt_l=121),
        variant(administrasi__pemilih_dpt_l=10, administrasi__pemilih_dpt_p=10),
        variant(administrasi__pemilih_disabilitas_l=3),
        variant(administrasi__surat_suara_rusak=2),
        variant(administrasi__suara_tidak_sah=5),
        variant(konfirmasi_tidak_konsisten=True),
        {"administrasi": {}, "suara": {"1": 0, "2": 0, "3": 0}},
        variant(**{"k" * 80: 1}),
    ]
    return cases


def random_sheets(count: int, seed: int = 19) -> list[Any]:
    """The contract example with one to three counts changed at random: most break a sum."""
    rng = random.Random(seed)
    sheets = []
    for _ in range(count):
        body = copy.deepcopy(contract_example())
        for _change in range(rng.randint(1, 3)):
            section = rng.choice(["administrasi", "suara"])
            key = rng.choice(sorted(body[section]))
            body[section][key] = rng.choice(
                [0, 1, 299, 301, 1000, 1001, -3, body[section][key] + 1]
            )
        body["konfirmasi_tidak_konsisten"] = rng.random() < 0.3
        body["catatan"] = rng.choice(["", "formulir tertulis begitu"])
        sheets.append(body)
    return sheets


CONTEXTS = [
    {"choices": PPWP, "masterDpt": 245, "maxVoters": 300, "correcting": False, "reason": ""},
    {"choices": PPWP, "masterDpt": None, "maxVoters": 300, "correcting": True, "reason": ""},
    {"choices": PPWP, "masterDpt": 250, "maxVoters": 600, "correcting": True, "reason": "salah"},
]


def test_the_offline_rules_give_tallys_answers(desk: Desk, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{desk.url}/luring/")
    page.add_script_tag(url="/static/results/rules.js")
    book = json.loads(page.evaluate("fetch('/luring/aturan.json').then(r => r.text())"))
    cases = [(body, ctx) for body in known_answers() for ctx in CONTEXTS]
    cases += [(body, CONTEXTS[i % 3]) for i, body in enumerate(random_sheets(300))]
    answers = page.evaluate(
        "([book, cases]) => cases.map(([body, ctx]) => DeskRules.check(book, body, ctx))",
        [book, cases],
    )
    assert len(answers) == len(cases) > 400
    codes_seen = set()
    for (body, ctx), answer in zip(cases, answers, strict=True):
        got = {
            "problems": sorted((p["code"], p["field"], p["message"]) for p in answer["problems"]),
            "flags": sorted((p["code"], p["field"], p["message"]) for p in answer["flags"]),
            "confirmable": answer["confirmable"],
        }
        assert got == tally_check(body, ctx), (body, ctx)
        codes_seen |= {p[0] for p in got["problems"] + got["flags"]}
    # The set reaches every rule the page can give offline.
    assert codes_seen == set(book["messages"])
    context.close()

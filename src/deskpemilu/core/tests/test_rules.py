"""The access rule a route declares is the check it runs (not only a label)."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from ninja.errors import AuthenticationError

from deskpemilu.api.routes import operations
from deskpemilu.core.rules import api_rule, parse_rule

MIN_GUARDED_OPERATIONS = 55


def caller(role: str, agency: str = "") -> SimpleNamespace:
    slug = SimpleNamespace(slug=agency) if agency else None
    return SimpleNamespace(is_authenticated=True, role=role, agency=slug)


def test_labels_read_as_structured_rules() -> None:
    rule = parse_rule("scoped:admin,viewer,liaison(dinkes)")
    assert rule.scoped and rule.roles == {"admin", "viewer"}
    assert rule.agency_roles == {("liaison", "dinkes")}
    assert str(rule) == "scoped:admin,viewer,liaison(dinkes)"
    assert parse_rule("signed_in:agency").narrowed_by == "agency"
    assert parse_rule("self").roles is None and parse_rule("scoped").roles is None


@pytest.mark.parametrize("label", ["scope", "roles:Admin", "self:admin", "signed_in:x", "roles:"])
def test_a_misspelt_rule_fails_at_import(label: str) -> None:
    with pytest.raises(ValueError):
        parse_rule(label)


def test_a_rule_admits_roles_and_agency_liaisons() -> None:
    rule = parse_rule("scoped:admin,health,liaison(dinkes)")
    assert rule.admits(caller("admin")) and rule.admits(caller("health"))
    assert rule.admits(caller("liaison", "dinkes"))
    assert not rule.admits(caller("liaison", "polri"))
    assert not rule.admits(caller("viewer"))
    assert rule.admits_role("liaison(dinkes)") and not rule.admits_role("liaison")
    assert not rule.admits(SimpleNamespace(is_authenticated=False))
    assert parse_rule("signed_in").admits(caller("liaison"))


def test_api_rule_refuses_before_the_operation_runs() -> None:
    ran: list[str] = []

    @api_rule("roles:admin")
    def operation(request: object, code: str) -> str:
        ran.append(code)
        return code

    request = RequestFactory().get("/")
    request.user = caller("viewer")  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        operation(request, code="52")
    request.user = SimpleNamespace(is_authenticated=False)  # type: ignore[attr-defined]
    with pytest.raises(AuthenticationError):
        operation(request, code="52")
    assert ran == []
    request.user = caller("admin")  # type: ignore[attr-defined]
    assert operation(request, code="52") == "52" and ran == ["52"]


def test_the_guard_keeps_the_signature_ninja_reads() -> None:
    @api_rule("scoped:operator,admin")
    def operation(request: object, tps_code: str, limit: int = 5) -> None:
        """Docs stay."""

    assert list(inspect.signature(operation).parameters) == ["request", "tps_code", "limit"]
    assert operation.__doc__ == "Docs stay." and operation.__name__ == "operation"
    assert operation.__globals__ is globals()


def test_every_api_operation_runs_behind_its_rule() -> None:
    guarded = [r for r in operations() if getattr(r.view, "__wrapped__", None) is not None]
    assert len(guarded) >= MIN_GUARDED_OPERATIONS
    assert len(guarded) == len(operations())


@pytest.mark.django_db
def test_a_role_outside_the_rule_gets_the_api_403(api_for, viewer, lurah) -> None:
    for user in (viewer, lurah):
        response = api_for(user).put(
            "/api/v1/contests/ppwp", data="{}", content_type="application/json"
        )
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "forbidden"


@pytest.mark.django_db
def test_a_page_shows_an_uncaught_refusal_with_its_status(admin) -> None:
    from deskpemilu.core.errors import Refusal
    from deskpemilu.core.middleware import RefusalMiddleware

    request = RequestFactory().post("/tim/")
    request.user = admin  # type: ignore[attr-defined]
    request.session = {}  # type: ignore[attr-defined]
    refusal = Refusal(409, "versi_berubah", "Kejadian ini sudah diubah orang lain.")
    response = RefusalMiddleware(lambda r: None).process_exception(request, refusal)
    assert response is not None and response.status_code == 409
    assert "Kejadian ini sudah diubah orang lain." in response.content.decode()


def test_every_service_error_is_one_refusal() -> None:
    from deskpemilu.core.errors import ApiError, Refusal
    from deskpemilu.health.services import HealthError
    from deskpemilu.incidents.services import IncidentError
    from deskpemilu.readiness.services import ReadinessError
    from deskpemilu.results.services import ResultError
    from deskpemilu.stages.services import StageError
    from deskpemilu.tally.codes import Problem
    from deskpemilu.team.services import TeamError

    made = [
        ApiError(403, "forbidden", "Not allowed"),
        HealthError(422, [{"code": "teks_tidak_valid", "field": "note", "message": "NUL"}]),
        IncidentError(409, "versi_berubah", "version", "changed"),
        ReadinessError(422, [{"code": "status_tidak_dikenal", "field": "items", "message": "x"}]),
        ResultError(422, [Problem("bilangan_negatif", "suara")]),
        StageError(403, "tidak_berhak", "Hanya desk", "status"),
        TeamError(403, "bukan_admin_desk", "Hanya admin desk", ""),
    ]
    for error in made:
        assert isinstance(error, Refusal)
        first = error.errors[0]
        assert (error.code, error.field, error.message) == (
            first["code"],
            first["field"],
            first["message"],
        )
    assert IncidentError(409, "versi_berubah", "version", "changed").field == "version"
    assert StageError(403, "tidak_berhak", "Hanya desk", "status").field == "status"

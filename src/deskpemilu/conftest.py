"""The cast of the tests (DESIGN.md) and the Kota Mataram dataset, loaded once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from hypothesis import settings as hypothesis_settings

from deskpemilu.accounts.models import User
from deskpemilu.accounts.services import account_save, token_issue
from deskpemilu.regions.seed import seed_mataram
from deskpemilu.results.contests import shipped_elections
from deskpemilu.results.setup import election_load

# Property tests run on a shared two-core machine: a per-example deadline only measures the load
# of the moment (a flaky failure is not a finding), so no test has one.
hypothesis_settings.register_profile("desk", deadline=None)
hypothesis_settings.load_profile("desk")

AMPENAN_SELATAN = "5271011004"
PEJERUK = "5271011006"
SANDUBAYA = "527106"
CAKRANEGARA_TIMUR = "5271031006"  # another kecamatan than the operator's
PASSWORD = "Rahasia-Desk-2024!"


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The shared file cache in a directory of this test run's own, not the installation's
    var/cache: runs side by side would read, and clear, each other's entries."""
    default = {**settings.CACHES["default"], "LOCATION": str(tmp_path_factory.mktemp("cache"))}
    with override_settings(CACHES={"default": default}):
        yield


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts from an empty cache: the database rolls back between tests, so the
    audit head that keys the situation room's blocks (situation.fragments) comes round again."""
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        seed_mataram(actor=None)
        for data in shipped_elections():
            election_load(actor=None, data=data)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str, role: str, scope: str = "", agency: str = "") -> User:
        user, _ = account_save(
            actor=None,
            username=username,
            role=role,
            scope=scope,
            agency_slug=agency,
            password=PASSWORD,
        )
        return user

    return make


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user("admin_desk", "admin")


@pytest.fixture
def operator(make_user: Callable[..., User]) -> User:
    """An agency operator assigned to Kelurahan Ampenan Selatan."""
    return make_user("op_ampenan_selatan", "operator", AMPENAN_SELATAN, "diskominfo")


@pytest.fixture
def verifier(make_user: Callable[..., User]) -> User:
    return make_user("verifikator", "verifier")


@pytest.fixture
def lurah(make_user: Callable[..., User]) -> User:
    return make_user("lurah_pejeruk", "lurah", PEJERUK)


@pytest.fixture
def camat(make_user: Callable[..., User]) -> User:
    return make_user("camat_sandubaya", "camat", SANDUBAYA)


@pytest.fixture
def polri(make_user: Callable[..., User]) -> User:
    return make_user("polri_liaison", "liaison", "", "polri")


@pytest.fixture
def viewer(make_user: Callable[..., User]) -> User:
    return make_user("asisten_satu", "viewer")


@pytest.fixture
def outsider(make_user: Callable[..., User]) -> User:
    """An operator of another kecamatan (Cakranegara): must see nothing of Ampenan."""
    return make_user("op_cakranegara_timur", "operator", CAKRANEGARA_TIMUR, "dishub")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def api_for() -> Callable[[User], Client]:
    """A client that authenticates with a real bearer token of `user`."""

    def make(user: User) -> Client:
        token, _ = token_issue(actor=None, user=user, days=1)
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make

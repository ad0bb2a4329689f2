"""Who sees and updates the stages: everyone signed in reads the calendar (a scoped account sees
the kecamatan of its area); the desk (admin) updates any kecamatan, a camat their own. A stage or
kecamatan the account may not touch answers 404, like one that does not exist."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from deskpemilu.accounts.models import Role, User
from deskpemilu.regions.models import Level, Region
from deskpemilu.stages.models import Stage

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")
UPDATERS = {Role.ADMIN, Role.CAMAT}


def manages_stages(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def updates_stages(user: User) -> bool:
    return user.is_authenticated and user.role in UPDATERS


def kecamatan_for(user: User) -> QuerySet[Region]:
    """The kecamatan of the installation that `user` sees: all, or the one holding its area."""
    qs = Region.objects.filter(
        level=Level.KECAMATAN, code__startswith=settings.DESKPEMILU_INSTALLATION_REGION
    ).order_by("code")
    if user.sees_all_areas:
        return qs
    if not user.scope:  # accounts.User.sees_all_areas: a scoped role without a scope sees none
        return qs.none()
    if len(user.scope) >= 6:
        return qs.filter(code=user.scope[:6])
    return qs.filter(code__startswith=user.scope)


def writable_kecamatan(user: User) -> QuerySet[Region]:
    """The kecamatan whose stage status `user` may set."""
    if manages_stages(user):
        return kecamatan_for(user)
    if user.is_authenticated and user.role == Role.CAMAT and user.scope:
        return kecamatan_for(user).filter(code=user.scope)
    return Region.objects.none()


def stages_visible(user: User) -> QuerySet[Stage]:
    qs = Stage.objects.all()
    return qs if manages_stages(user) else qs.filter(active=True)


def get_stage_for(user: User, code: str) -> Stage:
    if not SLUG.match(code):
        raise Http404
    stage = stages_visible(user).select_related("election").filter(code=code).first()
    if stage is None:
        raise Http404
    return stage


def get_kecamatan_to_update(user: User, code: str) -> Region:
    region = writable_kecamatan(user).filter(code=code).first() if code.isdigit() else None
    if region is None:
        raise Http404
    return region

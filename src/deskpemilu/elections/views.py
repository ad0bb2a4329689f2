"""/pemilihan/: the desk sees every election and switches the one open for entry. Thin: the
switch is `services.election_activate`, the same as `deskpemilu activate_election`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from deskpemilu.accounts.models import User
from deskpemilu.core.rules import roles
from deskpemilu.elections import selectors, services


@roles("admin")
def election_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        user = request.user
        assert isinstance(user, User)
        done = services.election_activate(actor=user, code=request.POST.get("pemilihan", ""))
        values = {"name": done.election.name}
        if done.changed:
            messages.success(request, _("Pemilihan aktif kini: %(name)s.") % values)
        else:
            messages.info(request, _("%(name)s sudah aktif; tidak ada perubahan.") % values)
        return redirect("elections")
    rows = [(e, selectors.tps_count(e)) for e in selectors.elections_with_contests()]
    return render(request, "elections/list.html", {"rows": rows})

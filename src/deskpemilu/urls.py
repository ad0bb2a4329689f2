from django.urls import include, path

from deskpemilu.accounts import language
from deskpemilu.api.router import api

urlpatterns = [
    path("", include("deskpemilu.core.urls")),
    path("accounts/", include("deskpemilu.accounts.urls")),
    path("wilayah/", include("deskpemilu.regions.urls")),
    path("audit/", include("deskpemilu.audit.urls")),
    path("hasil/", include("deskpemilu.results.urls")),
    path("kesiapan/", include("deskpemilu.readiness.urls")),
    path("kesehatan/", include("deskpemilu.health.urls")),
    path("kejadian/", include("deskpemilu.incidents.urls")),
    path("notifikasi/", include("deskpemilu.notify.urls")),
    path("tim/", include("deskpemilu.team.urls")),
    path("tahapan/", include("deskpemilu.stages.urls")),
    path("pemilihan/", include("deskpemilu.elections.urls")),
    path("", include("deskpemilu.dashboard.urls")),
    path("", include("deskpemilu.situation.urls")),
    path("situasi/", include("deskpemilu.portal.desk_urls")),
    path("publik/", include("deskpemilu.portal.urls")),
    path("", include("deskpemilu.offline.urls")),
    path("api/v1/", api.urls),
    path("i18n/setlang/", language.set_language, name="set_language"),
]

handler400 = "deskpemilu.core.views.bad_request"
handler403 = "deskpemilu.core.views.permission_denied"
handler404 = "deskpemilu.core.views.page_not_found"
handler500 = "deskpemilu.core.views.server_error"

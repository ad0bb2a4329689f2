from django.urls import path, re_path

from deskpemilu.results import (
    contest_views,
    entry_views,
    sheet_views,
    supervisor_views,
    verify_views,
    views,
)

urlpatterns = [
    path("", views.results_home, name="results_home"),
    # Fixed paths first: `<contest>/<tps_code>/` would otherwise take them.
    path("pilih/", views.tps_pick, name="results_pick"),
    path("verifikasi/", verify_views.verify_queue, name="verify_queue"),
    path("selisih/", supervisor_views.mismatch_queue, name="mismatch_queue"),
    path("ditahan/", supervisor_views.held_list, name="held_list"),
    path("kontes/", contest_views.contest_settings, name="contest_settings"),
    path(
        "selisih/<slug:contest>/<str:tps_code>/",
        supervisor_views.mismatch_detail,
        name="mismatch_detail",
    ),
    re_path(r"^foto/(?P<sha256>[0-9a-f]{64})\.jpg$", sheet_views.sheet_photo, name="sheet_photo"),
    path("<slug:contest>/<str:tps_code>/", sheet_views.sheet_detail, name="sheet_detail"),
    path("<slug:contest>/<str:tps_code>/isi/", entry_views.sheet_entry, name="sheet_entry"),
    path("<slug:contest>/<str:tps_code>/periksa/", entry_views.sheet_check, name="sheet_check"),
    path(
        "<slug:contest>/<str:tps_code>/verifikasi/", verify_views.sheet_verify, name="sheet_verify"
    ),
    path(
        "<slug:contest>/<str:tps_code>/foto/",
        entry_views.sheet_photos_add,
        name="sheet_photos_add",
    ),
    path(
        "<slug:contest>/<str:tps_code>/kembalikan/", sheet_views.sheet_return, name="sheet_return"
    ),
]

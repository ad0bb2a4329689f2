from django.urls import path

from deskpemilu.team import meeting_views, views

urlpatterns = [
    path("", views.team_home, name="team_home"),
    path("anggota/baru/", views.member_new, name="team_member_new"),
    path("anggota/<int:pk>/", views.member_edit, name="team_member_edit"),
    path("piket/", views.roster_page, name="team_roster"),
    path("piket/tambah/", views.duty_add, name="team_duty_add"),
    path("piket/<int:pk>/hapus/", views.duty_remove, name="team_duty_remove"),
    path("piket/hapus-contoh/", views.demo_clear, name="team_demo_clear"),
    path("piket.xlsx", views.roster_xlsx, name="team_roster_xlsx"),
    path("rapat/", meeting_views.meeting_list, name="team_meetings"),
    path("rapat/baru/", meeting_views.meeting_new, name="team_meeting_new"),
    path("rapat/<int:pk>/", meeting_views.meeting_detail, name="team_meeting"),
    path("rapat/<int:pk>/keputusan/", meeting_views.action_add, name="team_action_add"),
    path("rapat/<int:pk>/notulen.pdf", meeting_views.meeting_pdf, name="team_meeting_pdf"),
    path("tindak-lanjut/", meeting_views.action_list, name="team_actions"),
    path("tindak-lanjut/<int:pk>/", meeting_views.action_detail, name="team_action"),
    path("tindak-lanjut.xlsx", meeting_views.actions_xlsx, name="team_actions_xlsx"),
]

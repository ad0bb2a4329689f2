from django.urls import path

from deskpemilu.regions import views

urlpatterns = [
    path("<str:code>/", views.region_page, name="region"),
]

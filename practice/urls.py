from django.urls import path

from .views import boundaries, checkins, coaching

urlpatterns = [
    path("checkins/start/", checkins.start, name="checkin-start"),
    path("checkins/", checkins.history, name="history"),
    path("c/<str:token>/", checkins.room, name="room"),
    path("c/<str:token>/resume/", checkins.resume, name="checkin-resume"),
    path("c/<str:token>/summary/", checkins.summary, name="checkin-summary"),
    path("coach/", coaching.coach, name="coach"),
    path("boundaries/", boundaries.boundary_list, name="boundaries"),
    path("boundaries/propose/", boundaries.propose, name="boundary-propose"),
    path("boundaries/print/", boundaries.printable, name="boundaries-print"),
    path("boundaries/export.md", boundaries.export_markdown, name="boundaries-export"),
    path("boundaries/<int:pk>/", boundaries.detail, name="boundary-detail"),
    path("boundaries/<int:pk>/act/", boundaries.act, name="boundary-act"),
]

from django.urls import path

from .views import checkins

urlpatterns = [
    path("checkins/start/", checkins.start, name="checkin-start"),
    path("checkins/", checkins.history, name="history"),
    path("c/<str:token>/", checkins.room, name="room"),
    path("c/<str:token>/resume/", checkins.resume, name="checkin-resume"),
    path("c/<str:token>/summary/", checkins.summary, name="checkin-summary"),
]

from django.urls import path

from .views import boundaries, checkins, coaching, rituals

urlpatterns = [
    path("checkins/start/", checkins.start, name="checkin-start"),
    path("checkins/", checkins.history, name="history"),
    path("c/<str:token>/", checkins.room, name="room"),
    path("c/<str:token>/resume/", checkins.resume, name="checkin-resume"),
    path("c/<str:token>/summary/", checkins.summary, name="checkin-summary"),
    path("coach/", coaching.coach, name="coach"),
    path("ritual/", rituals.settings_page, name="ritual"),
    path("ritual/now/", rituals.now, name="ritual-now"),
    path("ritual/start/", rituals.start, name="ritual-start"),
    path("ritual/reminders/", rituals.reminders, name="ritual-reminders"),
    path("ritual/feed/new/", rituals.feed_regenerate, name="ritual-feed-regenerate"),
    path("ritual/feed/<str:token>.ics", rituals.feed, name="ritual-feed"),
    path("boundaries/", boundaries.boundary_list, name="boundaries"),
    path("boundaries/propose/", boundaries.propose, name="boundary-propose"),
    path("boundaries/print/", boundaries.printable, name="boundaries-print"),
    path("boundaries/export.md", boundaries.export_markdown, name="boundaries-export"),
    path("boundaries/<int:pk>/", boundaries.detail, name="boundary-detail"),
    path("boundaries/<int:pk>/act/", boundaries.act, name="boundary-act"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("questions/", views.today, name="prompts-today"),
    path("questions/history/", views.history, name="prompts-history"),
    path("questions/<int:pk>/", views.day, name="prompts-day"),
    path("questions/ladder/", views.ladder, name="prompts-ladder"),
    path(
        "questions/ladder/<slug:theme>/comfortable/",
        views.ladder_comfortable,
        name="prompts-ladder-comfortable",
    ),
    path(
        "questions/ladder/<slug:theme>/step-down/",
        views.ladder_step_down,
        name="prompts-ladder-step-down",
    ),
    path("questions/ladder/talked/", views.ladder_talked, name="prompts-ladder-talked"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="personal-home"),
    path("journal/", views.journal, name="personal-journal"),
    path("journal/new/", views.entry_new, name="personal-entry-new"),
    path("journal/<int:pk>/", views.entry, name="personal-entry"),
    path("journal/<int:pk>/delete/", views.entry_delete, name="personal-entry-delete"),
    path("journal/<int:pk>/share/", views.entry_share, name="personal-entry-share"),
    path("triggers/", views.triggers, name="personal-triggers"),
    path("triggers/<int:pk>/", views.trigger, name="personal-trigger"),
    path("triggers/<int:pk>/delete/", views.trigger_delete, name="personal-trigger-delete"),
    path("toolkit/", views.toolkit, name="personal-toolkit"),
    path("toolkit/breathing/", views.breathing, name="personal-breathing"),
    path("toolkit/grounding/", views.grounding, name="personal-grounding"),
    path("toolkit/<int:pk>/", views.strategy, name="personal-strategy"),
    path("toolkit/<int:pk>/delete/", views.strategy_delete, name="personal-strategy-delete"),
    path("gratitude/", views.gratitude, name="personal-gratitude"),
    path("gratitude/<int:pk>/send/", views.note_send, name="personal-note-send"),
    path("gratitude/<int:pk>/delete/", views.note_delete, name="personal-note-delete"),
    path("shared/<int:pk>/withdraw/", views.shared_withdraw, name="personal-shared-withdraw"),
    path("goals/", views.goals, name="personal-goals"),
    path("goals/<int:pk>/", views.goal, name="personal-goal"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="personal-goal-delete"),
    path("goals/<int:pk>/done/", views.goal_mark, name="personal-goal-mark"),
    path("goals/<int:pk>/steps/", views.goal_step_add, name="personal-goal-step-add"),
    path("goals/<int:pk>/steps/<int:step>/", views.goal_step_mark, name="personal-goal-step-mark"),
    path("self-check-in/", views.self_checkin, name="personal-self-checkin"),
    path("self-check-in/cadence/", views.self_plan, name="personal-self-plan"),
    path("self-check-in/history/", views.self_history, name="personal-self-history"),
]

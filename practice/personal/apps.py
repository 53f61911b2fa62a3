from django.apps import AppConfig


class PersonalConfig(AppConfig):
    name = "practice.personal"
    label = "personal"
    verbose_name = "Personal practice: journal, triggers, toolkit, gratitude, goals"

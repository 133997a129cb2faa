from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "postcheck.web.cases"
    label = "cases"
    verbose_name = "Cases"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "postcheck.web.api"
    label = "api"
    verbose_name = "HTTP API"

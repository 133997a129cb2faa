from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "postcheck.web.core"
    label = "core"
    verbose_name = "Schools and audit"

    def ready(self) -> None:
        from postcheck.web.core import nav, signals  # noqa: F401  (signals connect on import)

        nav.register(nav.NavItem("Check before you post", "core:check", anonymous=True, order=10))

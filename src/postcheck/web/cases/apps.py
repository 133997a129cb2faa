from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "postcheck.web.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from postcheck.web.cases.access import CASE_ROLES
        from postcheck.web.core.nav import NavItem, register

        # Shown to visitors too (the menu is static and must not query the database): when no
        # school takes reports from anyone (School.allow_anonymous_report), the page asks them to sign in.
        register(NavItem("Report a concern", "cases:report", anonymous=True, order=20))
        register(NavItem("Review queue", "cases:queue", roles=CASE_ROLES, order=30))
        register(NavItem("Dashboard", "cases:dashboard", roles=CASE_ROLES, order=40))
        # Subject access is linked from the queue and the dashboard: it is rare, and the menu is full.

from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "postcheck.web.scans"
    label = "scans"
    verbose_name = "Export scans"

    def ready(self) -> None:
        from postcheck.web.cases.access import CASE_ROLES
        from postcheck.web.core.nav import NavItem, register

        register(NavItem("Scan an export", "scans:list", roles=CASE_ROLES, order=35))

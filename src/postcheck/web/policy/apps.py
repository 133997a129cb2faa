from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "postcheck.web.policy"
    label = "policy"
    verbose_name = "Policy and acknowledgement"

    def ready(self) -> None:
        from postcheck.web.core.nav import NavItem, register
        from postcheck.web.core.roles import MANAGERS

        register(NavItem("Policy", "policy:policy", order=50))
        register(NavItem("Acknowledgements", "policy:acknowledgements", roles=MANAGERS, order=60))
        register(NavItem("Settings", "policy:settings", roles=MANAGERS, order=90))

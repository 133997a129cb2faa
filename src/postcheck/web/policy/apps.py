from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "postcheck.web.policy"
    label = "policy"
    verbose_name = "Policy and acknowledgement"

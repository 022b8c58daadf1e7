from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cchc.web.portal"
    label = "portal"
    verbose_name = "Cổng công khai"

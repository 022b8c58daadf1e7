from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "cchc.web.units"
    label = "units"
    verbose_name = "Đơn vị hành chính"

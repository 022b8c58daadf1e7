from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cchc.web.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "cchc.web.campaigns"
    label = "campaigns"
    verbose_name = "Đánh giá chỉ số CCHC"

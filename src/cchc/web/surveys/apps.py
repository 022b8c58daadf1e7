from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cchc.web.surveys"
    label = "surveys"
    verbose_name = "Khảo sát sự hài lòng"

    def ready(self) -> None:
        # Plug into the platform's navigation from here (docs/web.md, "Adding a module"),
        # so the platform's files need no knowledge of this app.
        from cchc.web import navigation
        from cchc.web.surveys.nav import NAV_ITEMS

        for item in NAV_ITEMS:
            if item not in navigation.NAV:
                navigation.NAV.append(item)

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cchc.web.surveys"
    label = "surveys"
    verbose_name = "Khảo sát sự hài lòng"

    def ready(self) -> None:
        # Plug into the platform's navigation and demo steps from here (docs/web.md,
        # "Adding a module"), so the platform's files need no knowledge of this app.
        from cchc.web import demo, navigation
        from cchc.web.surveys.demo import load_survey
        from cchc.web.surveys.nav import NAV_ITEMS

        if load_survey not in demo.STEPS:
            demo.STEPS.append(load_survey)

        for item in NAV_ITEMS:
            if item not in navigation.NAV:
                navigation.NAV.append(item)

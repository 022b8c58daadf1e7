from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "cchc.web.desk"
    label = "desk"
    verbose_name = "Bộ phận một cửa"

    def ready(self) -> None:
        # Plug into the platform's extension points (cchc.web.demo.STEPS, navigation.NAV)
        # from here, so the platform's files need no knowledge of this app.
        from cchc.web import demo, navigation
        from cchc.web.desk.demo import load_desk
        from cchc.web.desk.nav import NAV_ITEMS

        if load_desk not in demo.STEPS:
            demo.STEPS.append(load_desk)
        for item in NAV_ITEMS:
            if item not in navigation.NAV:
                navigation.NAV.append(item)

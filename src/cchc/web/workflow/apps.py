from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "cchc.web.workflow"
    label = "workflow"
    verbose_name = "Quy trình đánh giá chỉ số CCHC"

    def ready(self) -> None:
        # Plug into the platform's navigation and demo from here (docs/web.md, "Adding a module").
        from cchc.web import demo, navigation
        from cchc.web.workflow.demo import load_open_campaign
        from cchc.web.workflow.nav import NAV_ITEMS

        if load_open_campaign not in demo.STEPS:
            demo.STEPS.append(load_open_campaign)

        for item in NAV_ITEMS:
            if item not in navigation.NAV:
                navigation.NAV.append(item)

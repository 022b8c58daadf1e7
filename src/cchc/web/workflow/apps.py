from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "cchc.web.workflow"
    label = "workflow"
    verbose_name = "Quy trình đánh giá chỉ số CCHC"

    def ready(self) -> None:
        # Plug into the platform's navigation from here (docs/web.md, "Adding a module").
        from cchc.web import navigation
        from cchc.web.workflow.nav import NAV_ITEMS

        for item in NAV_ITEMS:
            if item not in navigation.NAV:
                navigation.NAV.append(item)

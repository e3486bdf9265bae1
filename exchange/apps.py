from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = "Information requests and disclosures"

    def ready(self):
        from accounts import kept_typing
        from exchange import request_drafts, through_service_views

        # A request part way through its pages outlives a time-out, for the same person (exchange.request_drafts).
        kept_typing.CARRIED_KEYS.add(request_drafts.SESSION_KEY)
        # So does a request to another agency on this service, part way through its pages (ADR 26).
        kept_typing.CARRIED_KEYS.add(through_service_views.SESSION_KEY)

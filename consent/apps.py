from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consent records"

    def ready(self):
        from accounts import kept_typing
        from consent import drafts

        # A consent part way through its pages outlives a time-out, for the same person (consent.drafts).
        kept_typing.CARRIED_KEYS.add(drafts.SESSION_KEY)

from django.apps import AppConfig


class ScaleConfig(AppConfig):
    name = "scale"
    verbose_name = "Data at scale, for the benchmark"

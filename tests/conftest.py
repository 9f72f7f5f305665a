"""Test-wide settings: hypothesis runs derandomized (the same examples on every run and
machine) and keeps no example database, so CI and local runs agree."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "lab",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("lab")

"""Loads the suite's plugins from fixtures/; nothing else lives here."""

pytest_plugins = [
    "fixtures.target",
    "fixtures.login_broker",
    "fixtures.measurement_window",
    "fixtures.browsers",
    "fixtures.runbook",
    "fixtures.stage",
    "fixtures.report",
]

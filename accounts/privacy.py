"""Personal-data export and erasure, contributed to by every app that holds some.

An exporter is `f(user) -> JSON-serialisable data`, shown under its key in "download my
data". An eraser is `f(user) -> None`, called inside the account-deletion transaction
before the user row is deleted: it deletes or anonymises what its app holds about the
person, keeping anonymous counts where the event's history needs them.
"""

from common.registry import Registry

personal_data_exporters = Registry("personal-data exporters")
personal_data_erasers = Registry("personal-data erasers")


def personal_data_export(*, user) -> dict:
    return {key: export(user) for key, export in personal_data_exporters.items()}


def personal_data_erase(*, user) -> list[str]:
    """Run every eraser; returns their keys in the order they ran."""
    ran = []
    for key, erase in personal_data_erasers.items():
        erase(user)
        ran.append(key)
    return ran

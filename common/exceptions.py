class ApplicationError(Exception):
    """A rule of the domain was broken; services raise it, views turn it into a message.

    `code` is a stable machine-readable name, `message` is shown to people, `details`
    names the fields or facts involved, and `status` is the HTTP status the API answers.
    """

    def __init__(self, message, *, code="invalid", details=None, status=400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or {}
        self.status = status


def raise_problems(problems: dict, *, code="invalid", label=str) -> None:
    """Raise ApplicationError for `problems` (field: reasons), if there are any.

    The message names the first field, as `label(field)` gives it (nothing when that is
    empty), with its first reason; `details` carries every problem.
    """
    if not problems:
        return
    field, reasons = next(iter(problems.items()))
    name = label(field)
    message = f"{name}: {reasons[0]}" if name else reasons[0]
    raise ApplicationError(message, code=code, details=problems)

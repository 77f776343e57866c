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

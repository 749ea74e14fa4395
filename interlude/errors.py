"""Domain errors shared by every service. They import no framework.

The gateway maps them, by name, from nameko's RemoteError to an HTTP status and a JSON body
``{"error": <name>, "message": <text>}``. Messages are written for the caller: they say what was
wrong and what to do, and never include client data.
"""


class InterludeError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str = ""):
        super().__init__(message or self.__doc__ or self.code)
        self.message = message or (self.__doc__ or self.code).strip()


class InvalidInput(InterludeError):
    """The request is malformed."""
    status, code = 400, "invalid_input"


class Unauthenticated(InterludeError):
    """Log in first: no valid session or bearer token."""
    status, code = 401, "unauthenticated"


class Forbidden(InterludeError):
    """Your role does not allow this."""
    status, code = 403, "forbidden"


class NotFound(InterludeError):
    """No such record."""
    status, code = 404, "not_found"


class Conflict(InterludeError):
    """The record already exists or changed meanwhile."""
    status, code = 409, "conflict"


class Gone(InterludeError):
    """This link has expired."""
    status, code = 410, "gone"


class PayloadTooLarge(InterludeError):
    """The upload is too large."""
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(InterludeError):
    """This file type is not accepted."""
    status, code = 415, "unsupported_media_type"


class TooManyRequests(InterludeError):
    """Too many attempts: wait, then try again."""
    status, code = 429, "too_many_requests"

    def __init__(self, message: str = "", retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after


class MethodNotAllowed(InterludeError):
    """This method is not allowed on this endpoint."""
    status, code = 405, "method_not_allowed"

    def __init__(self, message: str = "", allow: tuple[str, ...] = ()):
        super().__init__(message)
        self.allow = tuple(allow)


class ServiceUnavailable(InterludeError):
    """A service did not answer in time: try again shortly."""
    status, code = 503, "service_unavailable"


EXPECTED = (InvalidInput, Unauthenticated, Forbidden, NotFound, Conflict, Gone, PayloadTooLarge,
            UnsupportedMediaType, TooManyRequests, ServiceUnavailable)
BY_NAME = {cls.__name__: cls for cls in EXPECTED}


def register(cls: type[InterludeError]) -> type[InterludeError]:
    """Make an error defined elsewhere (e.g. interlude.rendering) map to its HTTP status when it
    arrives at the gateway as a nameko RemoteError, which carries only the class name."""
    BY_NAME[cls.__name__] = cls
    return cls

"""A callee's domain error, arriving as nameko's RemoteError, is raised again as itself."""
import pytest
from nameko.exceptions import RemoteError

from interlude.errors import Gone, NotFound
from interlude.rpc import domain_errors


def test_a_remote_domain_error_is_raised_again_as_the_domain_error():
    with pytest.raises(NotFound, match="No tool 'x'"):
        with domain_errors():
            raise RemoteError("NotFound", "No tool 'x' in the catalogue.")
    with pytest.raises(Gone):
        with domain_errors():
            raise RemoteError("Gone", "This link has expired.")


def test_any_other_remote_error_passes_unchanged():
    with pytest.raises(RemoteError) as raised:
        with domain_errors():
            raise RemoteError("KeyError", "'plan'")
    assert raised.value.exc_type == "KeyError"

import pytest

from gateway.signed_urls import sign, verify
from interlude.errors import Forbidden, Gone

SECRET = "a-secret-key-of-at-least-thirty-two-characters"


def parts(url):
    key, query = url[len("/files/"):].split("?")
    params = dict(pair.split("=") for pair in query.split("&"))
    return key, params["expires"], params["signature"]


def test_a_signed_link_verifies_until_it_expires():
    key, expires, signature = parts(sign(SECRET, "editions/wb_1/1.pdf", 60, now=1000))
    verify(SECRET, key, expires, signature, now=1050)
    with pytest.raises(Gone):
        verify(SECRET, key, expires, signature, now=1061)


@pytest.mark.parametrize("change", ["key", "expires", "secret", "signature"])
def test_any_change_breaks_the_signature(change):
    key, expires, signature = parts(sign(SECRET, "editions/wb_1/1.pdf", 60, now=1000))
    args = {"secret": SECRET, "key": key, "expires": expires, "signature": signature}
    args[change] = {"key": "editions/wb_2/1.pdf", "expires": str(int(expires) + 3600),
                    "secret": SECRET + "x", "signature": "0" * 64}[change]
    with pytest.raises(Forbidden):
        verify(args["secret"], args["key"], args["expires"], args["signature"], now=1000)

import pytest

from gateway.uploads import content_disposition


@pytest.mark.parametrize("name", ["сон-日記.png", "a\ud800b.png", "line\r\nbreak.png", "\x85x.png", ""])
def test_download_names_always_make_a_latin_1_header(name):
    value = content_disposition(name)
    value.encode("latin-1")
    assert value.startswith("attachment; filename=") and "\r" not in value and "\n" not in value

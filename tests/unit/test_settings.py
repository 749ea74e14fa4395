import pytest

from interlude import settings as settings_module
from interlude.settings import SettingsError
from tests.conftest import TEST_SECRET, make_env


def load(tmp_path, **overrides):
    return settings_module.load(make_env(tmp_path, **overrides))


def test_embedded_defaults_live_under_the_data_dir(tmp_path):
    settings = load(tmp_path)
    assert settings.embedded
    assert settings.documents_url == f"sqlite:///{tmp_path}/documents.db"
    assert settings.blobs_url == str(tmp_path / "blobs")
    assert settings.search_url == str(tmp_path / "search-index")
    assert (settings.documents_kind, settings.blobs_kind, settings.search_kind) == ("sqlite", "folder", "tantivy")
    assert settings.http_port == 8080


def test_embedded_secret_key_is_generated_once_and_private(tmp_path):
    first, second = load(tmp_path), load(tmp_path)
    assert first.secret_key == second.secret_key and len(first.secret_key) >= 32
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


def test_urls_select_real_engines(tmp_path):
    settings = load(tmp_path, broker_url="amqp://guest:guest@rabbit:5672/", secret_key=TEST_SECRET,
                    documents_url="mongodb://mongo:27017/interlude", blobs_url="s3://minio:9000/interlude",
                    search_url="http://es:9200")
    assert not settings.embedded
    assert (settings.documents_kind, settings.blobs_kind, settings.search_kind) == ("mongodb", "s3", "elasticsearch")


@pytest.mark.parametrize("overrides, variable", [
    ({"broker_url": "kafka://x"}, "INTERLUDE_BROKER_URL"),
    ({"broker_url": "localhost"}, "INTERLUDE_BROKER_URL"),
    ({"documents_url": "postgres://db/x"}, "INTERLUDE_DOCUMENTS_URL"),
    ({"blobs_url": "gs://bucket"}, "INTERLUDE_BLOBS_URL"),
    ({"blobs_url": "s3://minio:9000"}, "INTERLUDE_BLOBS_URL"),
    ({"search_url": "solr://x"}, "INTERLUDE_SEARCH_URL"),
    ({"http_port": "eighty"}, "INTERLUDE_HTTP_PORT"),
    ({"http_port": "70000"}, "INTERLUDE_HTTP_PORT"),
    ({"log_format": "xml"}, "INTERLUDE_LOG_FORMAT"),
    ({"log_level": "loud"}, "INTERLUDE_LOG_LEVEL"),
    ({"broker_url": "amqp://rabbit/"}, "INTERLUDE_SECRET_KEY"),
    ({"secret_key": "short"}, "INTERLUDE_SECRET_KEY"),
    ({"reminder_webhook_url": "ftp://partner"}, "INTERLUDE_REMINDER_WEBHOOK_URL"),
    ({"reminder_webhook_url": "https://partner.example/hook"}, "INTERLUDE_REMINDER_WEBHOOK_SECRET"),
])
def test_bad_values_name_the_variable(tmp_path, overrides, variable):
    with pytest.raises(SettingsError, match=variable):
        load(tmp_path, **overrides)


def test_summary_never_shows_credentials(tmp_path):
    settings = load(tmp_path, broker_url="amqp://user:hunter2@rabbit:5672/", secret_key=TEST_SECRET,
                    blobs_url="s3://key:s3cret@minio:9000/b")
    text = str(settings.safe_summary()) + repr(settings)
    assert "hunter2" not in text and "s3cret" not in text and TEST_SECRET not in text
    assert settings.s3_access_key == "key" and settings.s3_secret_key == "s3cret"


def test_redis_url_and_api_key_limit(tmp_path):
    assert (load(tmp_path).redis_url, load(tmp_path).api_key_requests_per_minute) == ("", 600)
    settings = load(tmp_path, redis_url="redis://:pw@127.0.0.1:6379/0", api_key_requests_per_minute="30")
    assert settings.redis_url == "redis://:pw@127.0.0.1:6379/0" and settings.api_key_requests_per_minute == 30
    assert "pw" not in repr(settings)
    # the name hosting platforms set is read when ours is not
    assert settings_module.load({**make_env(tmp_path), "REDIS_URL": "redis://cache:6379/1"}).redis_url == \
        "redis://cache:6379/1"
    with pytest.raises(SettingsError, match="INTERLUDE_REDIS_URL"):
        load(tmp_path, redis_url="http://cache:6379")
    with pytest.raises(SettingsError, match="INTERLUDE_API_KEY_REQUESTS_PER_MINUTE"):
        load(tmp_path, api_key_requests_per_minute="0")

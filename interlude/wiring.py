"""Composition root: build the adapter each setting names. Nothing else imports an adapter."""
from __future__ import annotations

from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore
from interlude.ports.search import SearchEngine
from interlude.settings import Settings


def documents(settings: Settings) -> DocumentStore:
    if settings.documents_kind == "mongodb":
        from interlude.adapters.mongo_documents import MongoDocumentStore
        return MongoDocumentStore.from_url(settings.documents_url)
    from interlude.adapters.sqlite_documents import SqliteDocumentStore
    return SqliteDocumentStore.from_url(settings.documents_url)


def blobs(settings: Settings) -> BlobStore:
    if settings.blobs_kind == "s3":
        from interlude.adapters.s3_blobs import S3BlobStore
        return S3BlobStore.from_url(settings.blobs_url, settings.s3_access_key, settings.s3_secret_key)
    from interlude.adapters.folder_blobs import FolderBlobStore
    return FolderBlobStore.from_url(settings.blobs_url)


def search_engine(settings: Settings, *, writable: bool = True, synonyms: list[str] = ()) -> SearchEngine:
    """``synonyms``: Elasticsearch synonym rules built from the problem catalogue (the search
    service passes them; tantivy applies the same expansion at query time instead)."""
    if settings.search_kind == "elasticsearch":
        from interlude.adapters.elasticsearch_search import ElasticsearchSearchEngine
        return ElasticsearchSearchEngine.from_url(settings.search_url, writable=writable, synonyms=list(synonyms))
    from interlude.adapters.tantivy_search import TantivySearchEngine
    return TantivySearchEngine.from_url(settings.search_url, writable=writable)

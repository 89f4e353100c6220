"""What the embedded index holds: its schema, the newest-first sort key, and a document's indexed form."""

from __future__ import annotations

from typing import Final

import tantivy

from gongshi.search.base import TEXT_FIELDS, SearchDocument, SearchError, sanitize
from gongshi.search.tantivy_codec import Codec
from gongshi.search.text import index_runs, normalize

# Bump when the schema or the token form changes; an index of another version must be rebuilt.
SCHEMA_VERSION: Final = 4
_ID_KEY_BITS: Final = 38
_ID_PREFIX_MAX: Final = (1 << 35) - 1


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    # Only looked up by term (replace, delete); nothing sorts or aggregates on it.
    sb.add_text_field("id", tokenizer_name="raw", index_option="basic")
    # Every text field, concatenated as bigram streams; a run never spans two fields.
    sb.add_text_field("all", tokenizer_name="whitespace", index_option="position")
    # The title alone, only to rank title matches higher: its bigrams are queried as terms, the
    # exact match is already required on "all", so it needs no positions.
    sb.add_text_field("title", tokenizer_name="whitespace", index_option="basic")
    for name in ("agency_code", "kind", "region", "penalty_categories"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    # Narrow decision-date ranges read postings (see tantivy_queries.narrow); publication-time ranges
    # scan the fast field, which saves a term per document (the timestamps are nearly all distinct).
    # Common 4-grams a document lacks ("!gram"), and the number of the vocabulary it was checked
    # against ("#n"): see Codec.train and QueryBuilder.common_grams.
    sb.add_text_field("grams", tokenizer_name="whitespace", index_option="basic")
    sb.add_integer_field("decided_on", indexed=True, fast=True)
    sb.add_integer_field("published_at", fast=True)
    sb.add_integer_field("sort_key", fast=True)
    # The whole document in one field (see Codec), so a hit costs a single fetch and decode.
    sb.add_bytes_field("src", stored=True)
    return sb.build()


def sort_key(decided_on: int, doc_id: str) -> int:
    """Newest-first order key: the date, then the id's leading characters, packed in 63 bits."""
    prefix = 0
    for ch in doc_id[:5]:
        # Ids are ASCII (base32); 7 bits per character keep byte order for those.
        prefix = (prefix << 7) | min(ord(ch), 127)
    prefix <<= 7 * (5 - min(len(doc_id), 5))
    # Larger keys come first in a descending sort, so invert the id part to list ids ascending.
    return (decided_on << _ID_KEY_BITS) | ((_ID_PREFIX_MAX - prefix) << 3)


def to_tantivy(codec: Codec, doc: SearchDocument, dict_number: int) -> tantivy.Document:
    """The indexed form of a document: bigram runs, common-4-gram markers, filters, packed source."""
    doc = sanitize(doc)
    # The body first: the other fields are often repeated in it and then add nothing.
    out = tantivy.Document()
    out.add_text("id", doc.id)
    # Normalised once (it is most of the cost of preparing a document).
    norm = {field: normalize(getattr(doc, field)) for field in TEXT_FIELDS}
    # One value per run: tantivy leaves a position gap between values, so phrases never span runs.
    runs = index_runs([norm["body"], *(norm[f] for f in TEXT_FIELDS if f != "body")], normalized=True)
    for stream in runs:
        out.add_text("all", stream)
    out.add_text("title", " ".join(index_runs([norm["title"]], normalized=True)))
    grams = codec.grams(dict_number)
    if grams is None:
        raise SearchError(f"the 4-gram list of dictionary {dict_number} is missing; reindex")
    # A 4-gram never contains a newline, so it cannot match across two fields here.
    haystack = "\n".join(norm.values())
    absent = [f"!{gram}" for gram in grams if gram not in haystack]
    out.add_text("grams", " ".join([f"#{dict_number}", *absent]))
    out.add_text("agency_code", doc.agency_code)
    out.add_text("kind", doc.kind)
    # An empty region is "unknown": absent from filters and facets, as in Meilisearch (null).
    if doc.region:
        out.add_text("region", doc.region)
    for category in dict.fromkeys(doc.penalty_categories):
        out.add_text("penalty_categories", category)
    out.add_integer("decided_on", doc.decided_on)
    out.add_integer("published_at", doc.published_at)
    out.add_integer("sort_key", sort_key(doc.decided_on, doc.id))
    out.add_bytes("src", codec.pack(doc, dict_number))
    return out

"""The embedded index survives being deleted, replaced or corrupted, and never has two writers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gongshi.search import SearchError, SearchQuery, WriterBusy
from gongshi.search.tantivy_engine import TantivyEngine

from .test_contract import make_doc
from .test_tantivy_storage import boilerplate_docs


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "search"


@pytest.fixture
def writer(index_dir: Path) -> Iterator[TantivyEngine]:
    engine = TantivyEngine(str(index_dir), writer=True)
    engine.configure()
    yield engine
    engine.close()


def reader_of(index_dir: Path) -> TantivyEngine:
    engine = TantivyEngine(str(index_dir), writer=False)
    engine.configure()
    return engine


def hits(engine: TantivyEngine, text: str) -> list[tuple[str, str]]:
    return [(h.id, h.document.party_name) for h in engine.search(SearchQuery(text=text, per_page=100)).hits]


def corrupt_meta(index_dir: Path) -> None:
    (index_dir / "meta.json").write_text('{"segments": [', encoding="utf-8")


# --- readers --------------------------------------------------------------------------------------


def test_reader_reopens_an_index_rebuilt_in_a_new_directory(index_dir: Path, writer: TantivyEngine) -> None:
    writer.reindex(boilerplate_docs("old", 40))
    reader = reader_of(index_dir)
    assert hits(reader, "第7商贸") == [("old007", "合肥第7商贸有限公司")]
    writer.close()
    shutil.rmtree(index_dir)
    # The rebuilt index numbers its dictionary 1 again, with other content: the reader must not decode
    # new documents with the old dictionary, nor keep answering from the deleted index.
    again = TantivyEngine(str(index_dir), writer=True)
    assert again.configure() is True
    again.reindex(
        [make_doc(f"new{i:03d}", party_name=f"芜湖第{i}物流公司", body="超载运输") for i in range(40)]
    )
    reader.reload()
    assert hits(reader, "第7商贸") == []
    assert hits(reader, "第7物流") == [("new007", "芜湖第7物流公司")]
    again.close()
    reader.close()


def test_reader_answers_from_its_snapshot_while_the_index_is_gone_or_broken(
    index_dir: Path, writer: TantivyEngine
) -> None:
    writer.reindex(boilerplate_docs("a", 40))
    reader = reader_of(index_dir)
    writer.close()
    aside = index_dir.with_name("elsewhere")
    shutil.copytree(index_dir, aside)
    shutil.rmtree(index_dir)
    with pytest.raises(SearchError, match="gone"):
        reader.reload()
    assert hits(reader, "第7商贸") == [("a007", "合肥第7商贸有限公司")]
    shutil.copytree(aside, index_dir)  # the same index back (same instance id), then a broken commit
    corrupt_meta(index_dir)
    with pytest.raises(SearchError):
        reader.reload()
    assert hits(reader, "第8商贸") == [("a008", "合肥第8商贸有限公司")]
    reader.close()


def test_a_reader_keeps_the_dictionary_of_a_rebuild_in_place_when_the_directory_goes(
    index_dir: Path, writer: TantivyEngine
) -> None:
    writer.reindex(boilerplate_docs("a", 40))
    reader = reader_of(index_dir)
    writer.reindex(boilerplate_docs("b", 40))  # trains dictionary 2, which the reader has not read yet
    reader.reload()
    writer.close()
    shutil.rmtree(index_dir)
    assert hits(reader, "第7商贸") == [("b007", "合肥第7商贸有限公司")]
    reader.close()


def test_a_reader_on_a_corrupt_index_raises_a_search_error(index_dir: Path, writer: TantivyEngine) -> None:
    writer.reindex(boilerplate_docs("a", 40))
    writer.close()
    corrupt_meta(index_dir)
    reader = TantivyEngine(str(index_dir), writer=False)
    with pytest.raises(SearchError):
        reader.configure()
    with pytest.raises(SearchError):
        reader.search(SearchQuery(text="商贸"))
    reader.close()


# --- the writer -----------------------------------------------------------------------------------


def test_recover_is_a_no_op_on_a_healthy_index_even_after_merges(
    index_dir: Path, writer: TantivyEngine
) -> None:
    assert writer.recover() is False
    for i in range(30):  # enough commits for tantivy to merge segments (rewriting meta.json itself)
        writer.upsert([make_doc(f"d{i}", body=f"第{i}份")])
        assert writer.recover() is False
    assert writer.count() == 30


def test_writer_recreates_a_deleted_index_and_keeps_writing_to_it(
    index_dir: Path, writer: TantivyEngine
) -> None:
    writer.reindex(boilerplate_docs("a", 40))
    shutil.rmtree(index_dir)
    with pytest.raises(ValueError):  # tantivy cannot write into a deleted directory
        writer.upsert([make_doc("lost")])
    assert writer.recover() is True
    assert writer.count() == 0  # the caller rebuilds it from the database
    writer.reindex(boilerplate_docs("b", 40))
    writer.upsert([make_doc("late", body="迟到的文书")])
    assert writer.recover() is False
    reader = reader_of(index_dir)  # on disk, in the new directory
    assert [doc_id for doc_id, _name in hits(reader, "迟到")] == ["late"]
    assert reader.count() == 41
    reader.close()


def test_writer_moves_a_corrupt_index_aside_and_recreates_it(index_dir: Path, writer: TantivyEngine) -> None:
    writer.reindex(boilerplate_docs("a", 40))
    corrupt_meta(index_dir)
    assert writer.recover() is True
    assert (writer.aside_path / "meta.json").read_text() == '{"segments": ['
    writer.upsert([make_doc("x", body="重建之后")])
    reader = reader_of(index_dir)
    assert [doc_id for doc_id, _name in hits(reader, "重建之后")] == ["x"]
    reader.close()


def test_configure_rebuilds_a_corrupt_index_instead_of_failing(
    index_dir: Path, writer: TantivyEngine
) -> None:
    writer.reindex(boilerplate_docs("a", 40))
    writer.close()
    corrupt_meta(index_dir)
    again = TantivyEngine(str(index_dir), writer=True)
    assert again.configure() is True  # new and empty: the caller reindexes
    assert again.count() == 0
    assert json.loads((index_dir / "gongshi-search.json").read_text())["instance"]
    again.close()


def test_a_second_writer_is_refused_even_when_the_directory_was_deleted(
    index_dir: Path, writer: TantivyEngine
) -> None:
    shutil.rmtree(index_dir)
    second = TantivyEngine(str(index_dir), writer=True)
    with pytest.raises(WriterBusy, match=str(os.getpid())):
        second.configure()
    assert not index_dir.exists()  # it did not recreate the directory either
    writer.close()
    assert second.configure() is True
    second.close()


def test_a_writer_opened_by_its_first_write_takes_the_lock_too(index_dir: Path) -> None:
    lazy = TantivyEngine(str(index_dir), writer=True)  # never configured
    lazy.upsert([make_doc("a")])
    other = TantivyEngine(str(index_dir), writer=True)
    with pytest.raises(WriterBusy):
        other.configure()
    lazy.close()
    lazy_again = TantivyEngine(str(index_dir), writer=True)
    other.configure()
    with pytest.raises(WriterBusy):
        lazy_again.upsert([make_doc("b")])
    other.close()
    lazy_again.close()


HOLD = textwrap.dedent(
    """
    import sys, time
    from gongshi.search.tantivy_engine import TantivyEngine
    engine = TantivyEngine(sys.argv[1], writer=True)
    engine.configure()
    print("holding", flush=True)
    time.sleep(60)
    """
)


def test_the_writer_lock_is_held_across_processes_and_freed_when_its_holder_dies(index_dir: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(index_dir)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        shutil.rmtree(index_dir)  # deleting the index does not free the lock
        engine = TantivyEngine(str(index_dir), writer=True)
        with pytest.raises(WriterBusy, match=f"pid {holder.pid}"):
            engine.configure()
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        deadline = time.monotonic() + 10
        while True:
            try:
                assert engine.configure() is True
                break
            except WriterBusy:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        engine.close()
    finally:
        holder.kill()
        holder.wait(10)

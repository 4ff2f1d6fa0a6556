"""The render cache: bounded, and its folder is best effort (a broken file is a miss, never an error)."""

from __future__ import annotations

from pathlib import Path

from templates.cache import RenderCache, cache_key


def test_memory_is_bounded_oldest_first() -> None:
    cache = RenderCache(max_bytes=100)
    for i in range(5):
        cache.put(f"k{i}", b"x" * 40, 40)
    assert cache.get("k0") is None and cache.get("k1") is None and cache.get("k2") is None
    assert cache.get("k4") == b"x" * 40


def test_folder_survives_a_restart_and_broken_files_are_misses(tmp_path: Path) -> None:
    key = cache_key('{"id": "x"}', "overeenkomst", "pdf")
    RenderCache(directory=tmp_path).put(key, b"%PDF-1.7 ...", 12)
    assert RenderCache(directory=tmp_path).get(key) == b"%PDF-1.7 ..."  # a new process, same folder
    (tmp_path / key[:2] / key).write_bytes(b"\x80\x04 afgebroken")
    assert RenderCache(directory=tmp_path).get(key) is None
    assert not (tmp_path / key[:2] / key).exists()


def test_unwritable_folder_does_not_fail_the_render(tmp_path: Path) -> None:
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map")
    cache = RenderCache(directory=blocked)
    cache.put("ab" + "0" * 62, b"data", 4)  # cannot create a folder inside a file: logged, not raised
    assert cache.get("ab" + "0" * 62) == b"data"  # still served from memory


def test_folder_keeps_at_most_max_files(tmp_path: Path) -> None:
    cache = RenderCache(directory=tmp_path, max_files=3)
    for i in range(5):
        cache.put(f"{i:02d}" + "f" * 62, b"d", 1)
        cache._prune()
    assert len(list(tmp_path.glob("??/*"))) == 3


def test_key_changes_with_dossier_document_format_and_participant() -> None:
    base = cache_key("{}", "overeenkomst", "pdf")
    assert (
        len(
            {
                base,
                cache_key('{"a":1}', "overeenkomst", "pdf"),
                cache_key("{}", "besluit-art20", "pdf"),
                cache_key("{}", "overeenkomst", "docx"),
                cache_key("{}", "overeenkomst", "pdf", "J. de Boer"),
            }
        )
        == 5
    )

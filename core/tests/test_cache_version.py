"""Cached figures carry the code version: another release never reads them."""

from django.contrib.auth import get_user_model

from core import cache


def test_a_changed_module_changes_the_version(tmp_path):
    app = tmp_path / "someapp"
    (app / "tests").mkdir(parents=True)
    (app / "figures.py").write_text("def total(): return 1\n")
    (app / "tests" / "test_figures.py").write_text("x = 1\n")
    before = cache.source_digest(tmp_path, [app])
    (app / "tests" / "test_figures.py").write_text("x = 2\n")
    assert cache.source_digest(tmp_path, [app]) == before  # tests do not ship
    (app / "figures.py").write_text("def total(): return {'sum': 1}\n")
    assert cache.source_digest(tmp_path, [app]) != before


def test_figure_keys_name_the_code_version(db, monkeypatch):
    users = get_user_model().objects.all()
    key = cache.figure_key("totals", users, 2026, 10)
    assert f":{cache.code_version()}:" in key
    monkeypatch.setattr(cache, "code_version", lambda: "another-release")
    assert cache.figure_key("totals", users, 2026, 10) != key

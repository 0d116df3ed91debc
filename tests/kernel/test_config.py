"""Settings that must agree across processes."""

import stat

from webapp.kernel.config import from_environment


def test_without_secret_key_every_process_shares_one_kept_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SIGHTLINE_INSTANCE", str(tmp_path / "instance"))
    first, second = from_environment()["SECRET_KEY"], from_environment()["SECRET_KEY"]
    assert first == second and len(first) == 64
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("SIGHTLINE_INSTANCE", str(tmp_path / "instance"))
    assert from_environment()["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "instance" / "secret_key").exists()

"""The build on a failing disk, and after a killed build (issue 9, item 10).

An OSError anywhere in the build is a RunError (exit 2) naming the file and what to do, never a traceback or
exit 1; the version ``current`` names stays current and intact. Tests run as root in CI, where chmod stops
nothing, so each failure here is made real (a folder where a file must go, a tmpfs that is full or mounted
read-only in a private mount namespace) except where a docstring says it injects the error at the write call.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from oirld import dumpparts
from oirld.cli import main
from oirld.pipeline import STAGING_PREFIX, build, current_version_dir

from ..conftest import MINI_MAPPING

OIRLD = [sys.executable, "-m", "oirld"]


def run(args, capsys, monkeypatch, home):
    monkeypatch.setenv("OIRLD_HOME", str(home))
    with pytest.raises(SystemExit) as exit_:
        main(args)
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of the published versions, with its bytes: what must not change when a build fails."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted((out / "versions").rglob("*")) if p.is_file()}


@pytest.fixture
def published(project):
    """A project with one good published version."""
    cfg = project(MINI_MAPPING)
    first = build(cfg)
    return cfg, first


def change_an_input(cfg) -> Path:
    """Edit a mapping (a comment line), so the next build has work to do: a build whose inputs did not change keeps
    the current version and writes nothing."""
    mapping = sorted(cfg.mappings_dir.glob("*.yaml"))[0]
    with open(mapping, "a", encoding="utf-8") as fh:
        fh.write("\n# edited by the test\n")
    return mapping


def assert_untouched(cfg, first, before) -> None:
    assert current_version_dir(cfg.out) == first.path
    assert snapshot(cfg.out) == before
    assert not list(cfg.out.glob(STAGING_PREFIX + "*"))


def test_a_folder_where_the_lock_file_goes_exits_2_naming_it(project, capsys, monkeypatch):
    """Real failure: ``.lock`` is a folder, so opening it for writing fails (EISDIR)."""
    cfg = project(MINI_MAPPING)
    (cfg.out / ".lock").mkdir(parents=True)
    code, _, err = run(["build", "--out", str(cfg.out), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 2, err
    assert "Traceback" not in err
    assert str(cfg.out / ".lock") in err and "taking the build lock" in err and "->" in err


def test_failure_at_the_last_step_takes_the_new_version_back_out(published, capsys, monkeypatch):
    """Real failure at publication: a non-empty folder sits where the temporary ``current`` link is made."""
    cfg, first = published
    before = snapshot(cfg.out)
    (cfg.out / ".current.tmp").mkdir()
    (cfg.out / ".current.tmp" / "x").write_text("in the way")
    change_an_input(cfg)
    code, _, err = run(["build", "--out", str(cfg.out), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 2, err
    assert "Traceback" not in err and ".current.tmp" in err and "publishing" in err
    assert f"{first.version} is still the current version" in err
    assert_untouched(cfg, first, before)


def test_full_disk_while_writing_the_dumps_exits_2(published, capsys, monkeypatch):
    """Injected: writing the gzipped dumps raises OSError(ENOSPC) as a full disk does; nothing else can be made to
    fail there without privileges (the tmpfs test below does it for real where mounts are allowed)."""
    cfg, first = published
    before = snapshot(cfg.out)

    real_open = open

    class FullDisk:
        """A dump file whose writes fail as on a full disk (the dumps are written as gzip members, dumpparts)."""

        def __init__(self, path, mode):
            self.fh, self.name = real_open(path, mode), str(path)

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.name)

        def __getattr__(self, name):
            return getattr(self.fh, name)

    def full_disk_open(path, mode="r", *args, **kwargs):
        if "w" in mode and Path(path).parent.name == "dumps":
            return FullDisk(path, mode)
        return real_open(path, mode, *args, **kwargs)

    change_an_input(cfg)
    monkeypatch.setattr(dumpparts, "open", full_disk_open, raising=False)
    code, _, err = run(["build", "--out", str(cfg.out), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 2, err
    assert "Traceback" not in err and "the disk is full" in err and "writing dumps" in err
    assert "/dumps/oirld." in err and "--out" in err
    monkeypatch.undo()
    assert_untouched(cfg, first, before)


def test_a_folder_named_like_a_registry_file_exits_2_naming_it(project, capsys, monkeypatch):
    """Real failure: an input that cannot be read (a folder called ``*.yaml``) is a run error, not bad data."""
    cfg = project(MINI_MAPPING)
    (cfg.ontology_dir / "registry" / "zz.yaml").mkdir()
    code, _, err = run(["build", "--out", str(cfg.out), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 2, err
    assert "Traceback" not in err and "zz.yaml" in err


def _private_tmpfs_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs $d"],
                           capture_output=True)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _private_tmpfs_works(), reason="no private mount namespaces (unshare -rm) here")


def _on_tmpfs(cfg, tmp_path: Path, break_it: str) -> tuple[int, str, str, str]:
    """Build once into a fresh tmpfs (in a private mount namespace, so nothing leaks), run ``break_it`` on it, build
    again; returns the second build's exit code and standard error, and listings before and after."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = textwrap.dedent(f"""
        set -u
        mount -t tmpfs -o size=16m tmpfs {mnt}
        {' '.join(OIRLD)} build --out {mnt}/out -q >/dev/null || exit 90
        (cd {mnt}/out && find versions -type f | sort | xargs sha256sum; readlink current) > {tmp_path}/before
        {break_it}
        printf '\n# edited by the test\n' >> {sorted(cfg.mappings_dir.glob("*.yaml"))[0]}
        {' '.join(OIRLD)} build --out {mnt}/out 2> {tmp_path}/err >/dev/null
        echo $? > {tmp_path}/code
        (cd {mnt}/out && find versions -type f | sort | xargs sha256sum; readlink current) > {tmp_path}/after
        ls -a {mnt}/out > {tmp_path}/ls
    """)
    env = dict(os.environ, OIRLD_HOME=str(cfg.home))
    done = subprocess.run(["unshare", "-rm", "bash", "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    read = lambda name: (tmp_path / name).read_text()  # noqa: E731
    assert read("before") == read("after")
    return int(read("code")), read("err"), read("ls"), read("before")


@needs_mounts
def test_a_really_full_disk_exits_2_and_keeps_the_published_version(project, tmp_path):
    """Real full disk: a tmpfs filled to the last byte after a first build."""
    code, err, listing, before = _on_tmpfs(project(MINI_MAPPING), tmp_path,
                                           f"dd if=/dev/zero of={tmp_path / 'mnt'}/filler bs=64k 2>/dev/null")
    assert code == 2, err
    assert "Traceback" not in err and "the disk is full" in err and "still the current version" in err
    assert STAGING_PREFIX not in listing and "versions/" in before


@needs_mounts
def test_a_read_only_output_folder_exits_2_and_keeps_the_published_version(project, tmp_path):
    """Real read-only file system: the tmpfs is remounted read-only after a first build."""
    code, err, _, _ = _on_tmpfs(project(MINI_MAPPING), tmp_path, f"mount -o remount,ro {tmp_path / 'mnt'}")
    assert code == 2, err
    assert "Traceback" not in err and "read-only" in err and "--out" in err


def test_a_build_removes_staging_folders_left_by_killed_builds(published, capsys, monkeypatch):
    cfg, first = published
    before = snapshot(cfg.out)
    stale = cfg.out / f"{STAGING_PREFIX}20200101T000000Z-deadbeef"
    (stale / "store").mkdir(parents=True)
    (stale / "store" / "000001.sst").write_bytes(b"half written")
    os.symlink("versions/nowhere", cfg.out / ".current.tmp")
    code, _, err = run(["build", "--out", str(cfg.out)], capsys, monkeypatch, cfg.home)
    assert code == 0, err
    assert f"removed {stale.name}, left behind by a build that was stopped" in err
    assert not stale.exists() and not (cfg.out / ".current.tmp").is_symlink()
    assert snapshot(cfg.out).items() >= before.items()


def test_a_build_kept_out_by_the_lock_removes_nothing(published, capsys, monkeypatch):
    """A staging folder of a build that holds the lock is not stale: the build that waits must not touch it."""
    cfg, first = published
    live = cfg.out / f"{STAGING_PREFIX}20200101T000000Z-0123abcd"
    live.mkdir()
    with open(cfg.out / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, _, err = run(["build", "--out", str(cfg.out), "-q"], capsys, monkeypatch, cfg.home)
    assert code == 2 and "another build is writing" in err
    assert live.is_dir()


def test_kill_9_mid_build_then_build_again(published, capsys, monkeypatch):
    """A real ``oirld build`` killed with SIGKILL once it has made its staging folder; the next build removes it."""
    cfg, first = published
    before = snapshot(cfg.out)
    env = dict(os.environ, OIRLD_HOME=str(cfg.home))
    change_an_input(cfg)  # so the killed build has work to do
    proc = subprocess.Popen([*OIRLD, "build", "--out", str(cfg.out)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if line.startswith("[4/"):  # the staging folder exists from here on
                break
        staged = list(cfg.out.glob(STAGING_PREFIX + "*"))
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert len(staged) == 1 and staged[0].is_dir(), "the build was killed with its staging folder in place"
    assert current_version_dir(cfg.out) == first.path and snapshot(cfg.out) == before
    code, _, err = run(["build", "--out", str(cfg.out)], capsys, monkeypatch, cfg.home)
    assert code == 0, err
    assert f"removed {staged[0].name}" in err
    assert not list(cfg.out.glob(STAGING_PREFIX + "*"))
    assert snapshot(cfg.out).items() >= before.items()

"""Two oirld publishes to one server at once, against a real Oxigraph server on loopback: the second stops (exit 2)
and changes nothing, whether it runs on this machine (the local lock) or elsewhere (the claim graph on the server);
a claim left by a killed publish is named, and --break-lock removes it."""

from __future__ import annotations

import threading

import pytest

from oirld.cli import main
from oirld.errors import RunError
from oirld.publish import publish_version, read_state
from oirld.publock import claim_lock, lock_holders

from .sparql_servers import OXIGRAPH
from .test_publish import BASE, client_of, oxigraph, versions, wipe  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the Oxigraph server is not installed (pip install oxigraph: the test extra)")


def clear_locks(client) -> None:
    for holder in lock_holders(client, BASE):
        client.delete_graph(holder.graph)


def test_a_second_publish_while_one_runs_stops_with_exit_2_and_changes_nothing(oxigraph, versions, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("OIRLD_HOME", str(versions.home))
    monkeypatch.setenv("OIRLD_OUT", str(versions.out))
    client = client_of(oxigraph)
    wipe(client)
    clear_locks(client)
    inside, go_on, outcome = threading.Event(), threading.Event(), []

    def gate(message: str) -> None:
        if message.startswith("sent"):
            inside.set()
            assert go_on.wait(120)

    def first() -> None:
        with client_of(oxigraph) as own:
            try:
                outcome.append(publish_version(versions.first, own, gate))
            except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
                outcome.append(exc)

    running = threading.Thread(target=first)
    running.start()
    try:
        assert inside.wait(120), outcome
        holders = lock_holders(client, BASE)
        assert len(holders) == 1  # the running publish's claim, on the server
        with pytest.raises(SystemExit) as exit_:  # a second publish on this machine: the local lock
            main(["publish", "--gsp", oxigraph.gsp, "--version", versions.second.name, "-q"])
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and "another oirld publish" in err and "wait for it to finish" in err
        with pytest.raises(RunError) as refused:  # one from another machine (its own lock folder): the server's claim
            publish_version(versions.second, client, lock_dir=tmp_path / "elsewhere")
        message = str(refused.value)
        assert "another oirld publish holds" in message and holders[0].graph in message and "--break-lock" in message
        assert lock_holders(client, BASE) == holders  # the refused one took its claim back
        assert read_state(client, BASE).version == versions.first.name  # and wrote nothing else
    finally:
        go_on.set()
        running.join(300)
    assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome
    state = read_state(client, BASE)
    assert (state.version, state.state) == (versions.first.name, "complete")
    assert lock_holders(client, BASE) == []  # released
    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--gsp", oxigraph.gsp, "--version", versions.second.name, "-q"])
    assert exit_.value.code == 0
    assert read_state(client, BASE).version == versions.second.name
    client.close()


def test_the_claim_of_a_killed_publish_is_named_and_break_lock_removes_it(oxigraph, versions, capsys, monkeypatch):
    monkeypatch.setenv("OIRLD_HOME", str(versions.home))
    monkeypatch.setenv("OIRLD_OUT", str(versions.out))
    client = client_of(oxigraph)
    clear_locks(client)
    left = claim_lock(client, BASE)  # what a publish killed outright leaves behind
    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--gsp", oxigraph.gsp, "--version", versions.first.name, "-q"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and left in err and "--break-lock" in err
    assert [h.graph for h in lock_holders(client, BASE)] == [left]
    with pytest.raises(SystemExit) as exit_:
        main(["publish", "--gsp", oxigraph.gsp, "--version", versions.first.name, "--break-lock"])
    assert exit_.value.code == 0 and "removed the lock started" in capsys.readouterr().err
    assert lock_holders(client, BASE) == [] and read_state(client, BASE).version == versions.first.name
    client.close()


def test_a_failed_publish_releases_its_claim(oxigraph, versions):
    client = client_of(oxigraph)
    wipe(client)
    clear_locks(client)
    with pytest.raises(RunError):
        publish_version(versions.first, client, lambda message: (_ for _ in ()).throw(RunError("stopped on purpose"))
                        if message.startswith("sent") else None)
    assert lock_holders(client, BASE) == []
    client.close()

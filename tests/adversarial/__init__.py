"""Hostile and faulty inputs: each class of attack on the server or the CLI, with a regression test per bug."""

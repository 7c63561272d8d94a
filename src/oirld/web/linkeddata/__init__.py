"""Linked Data for people and machines: dereferenceable IRIs and their documents, the pages about the whole
dataset (home, index, timeline, disagreements, search), the pictures' data, paging, and the dumps and crawler files."""

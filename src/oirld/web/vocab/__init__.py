"""The ontology at its namespace IRI (``/ontology``) and the SHACL shapes (``/shapes``), as documents and as
reference pages."""

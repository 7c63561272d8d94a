"""What wraps every request before a route sees it: size limits and strict decoding (:mod:`.httplimits`), the
Host check and the public address (:mod:`.publicurl`), conditional GET and HEAD (:mod:`.conditional`), and the
headers every answer carries (:mod:`.clientheaders`)."""

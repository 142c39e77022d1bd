routes = []
exception_handlers = {}

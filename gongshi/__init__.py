"""gongshi: enforcement decision disclosure and full-process records."""

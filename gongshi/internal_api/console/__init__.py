"""The staff console under /console: server-rendered pages per resource, over the same services as the API.

render.py is the one place pages are rendered and flashed; auth.py signs staff in and out."""

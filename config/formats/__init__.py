"""Date and number formats per language, found through FORMAT_MODULE_PATH (config/settings.py).

Only English needs one: Django's "en" formats are American ("Nov. 29, 2026", "11/29/2026"),
and the service's English is British English (en-GB), as the Norwegian public sector writes it.
"""

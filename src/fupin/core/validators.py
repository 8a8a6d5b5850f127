"""Field rules written once: the form, the API and the import call the same function for a field.

Each rule takes the raw value and returns the clean one, or raises ValidationError with a Chinese
message (the import puts it at its row and column, the form under its field, the API in a 422).
"""

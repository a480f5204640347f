from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "mim.spreadsheets"
    label = "spreadsheets"

"""Scrapy custom commands (COMMANDS_MODULE = "newscrawl.commands")."""
